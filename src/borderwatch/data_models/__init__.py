"""The shape of every data file under `borderwatch/data/`, as pydantic models.

One model per file shape, in a module per area (`places`, `events`, …), with the field types
shared by several in `fields`. `datafiles.load`/`load_rows` validate a file against its model
and raise one DataError naming the file, the entry and the field; a finder then reads typed
records and keeps no checks of its own. Checks across entries of one file (an alias two places
share, a trigger naming an unknown event type) are validators on the model, next to the shape.
`registry` says which model each file is read as; it imports every model, so finders import
only their own module here (a process that only extracts never builds the map's models).
"""
