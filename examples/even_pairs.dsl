# Even pairs (DeepMind's tasks/regular/even_pairs.py): the class is the number
# of unequal neighbours ("01" or "10") mod 2. Every change of value along the
# string flips it, so it is 1 exactly when the first and last bits differ;
# the empty string has no pair (class 0).
input xs: List[Int]
if len(xs) == 0 then 0 else xs[0] xor xs[len(xs) - 1]
