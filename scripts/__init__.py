"""Developer and operator scripts behind the Makefile."""
