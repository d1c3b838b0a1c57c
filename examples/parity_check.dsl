# Parity check (tasks/regular/parity_check.py): class 1 iff the bits hold an
# odd number of ones. A fold keeps the count of ones mod 2.
input xs: List[Int]
fold (s, x) -> (s + x) mod 2 from 0 over xs
