# Duplicate string (tasks/cs/duplicate_string.py): w -> ww.
input xs: List[Int]
xs + xs
