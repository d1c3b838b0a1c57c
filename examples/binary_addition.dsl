# Binary addition (tasks/cs/binary_addition.py): two LITTLE-endian numbers
# separated by the token 2, e.g. [0, 0, 1, 2, 0, 1, 1, 0, 1] is 4 + 22.
# Output: the sum little-endian without trailing zeros, the termination
# token 2, then 0s up to len(xs) + 1 tokens. Inputs of 1-2 tokens hold one
# number and no 2 (the code's short case): the output is that number.
#
# p is the position of the separator (len(xs) if none); a scan adds the two
# bit lists position by position with a record state {bit, carry}; k is the
# length of the sum without trailing zeros (at least 1, so 0 is [0]).
input xs: List[Int]
let n = len(xs) in
let p = fold (s, i) -> if xs[i] == 2 then i else s from n over range(n) in
let lb = n - p - 1 in
let w = (if p > lb then p else lb) + 1 in
let bits = [st.bit for st in
  scan (st, i) ->
    let t = (if i < p then xs[i] else 0) + (if i < lb then xs[p + 1 + i] else 0) + st.carry in
    {bit: t mod 2, carry: t / 2}
  from {bit: 0, carry: 0} over range(w)] in
let k = fold (s, i) -> if bits[i] == 1 then i + 1 else s from 1 over range(w) in
[bits[i] for i in range(k)] + [2] + [0 for i in range(n - k)]
