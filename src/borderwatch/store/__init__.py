"""Store stage: the SQLite database (schema, migrations, writes, queries shared by CLI and web)."""

from borderwatch.store.db import StoreError, default_db_path, open_db

__all__ = ["StoreError", "default_db_path", "open_db"]
