"""Whole-portfolio calculations (:mod:`.portfolio`: pandas, integer fen, Dask per partition), built on the core."""
