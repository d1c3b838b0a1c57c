# Missing duplicate (tasks/cs/missing_duplicate_string.py): a word of
# len(xs) / 2 bits written twice, one bit replaced by the hole 2, a pad 3 at
# the end when the length is odd. The answer is the bit at the same place in
# the other copy: half a length away, cyclically over the two copies. The
# code's only one-token input is [1], with answer 1.
input xs: List[Int]
let h = len(xs) / 2 in
let hole = fold (s, i) -> if xs[i] == 2 then i else s from 0 over range(len(xs)) in
if h == 0 then 1 else xs[(hole + h) mod (2 * h)]
