"""Stands for a machine without the ``dask`` extra: on ``PYTHONPATH`` before the installed
package, ``import distributed`` fails as it would there (tests/system/test_cluster.py)."""

raise ImportError("No module named 'distributed'")
