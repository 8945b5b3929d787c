"""borderwatch: fact sheets from open reporting on the China-North Korea border."""

__version__ = "0.1.0"
