"""Parts of the load benchmark (bench/load.py): the plain Rasa baseline, memory sampling, practitioners' scripts."""
