"""Batch runs beyond one machine (issue 11): read, clean and extract partitions of inputs on a
Dask cluster into Parquet tables (`job`, `partitions`, `tables`, `output`), and load those
tables into the store (`load`). Needs the `scale` extra (dask, distributed, pyarrow); nothing
else in borderwatch imports this package."""
