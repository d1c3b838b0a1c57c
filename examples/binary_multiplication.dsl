# Binary multiplication (tasks/cs/binary_multiplication.py): two
# LITTLE-endian numbers a, b separated by the token 2. Output: the product
# little-endian without trailing zeros, the termination token 2, then 0s up to
# len(xs) tokens. Inputs of 1-2 tokens (one number, no 2) get the code's fixed
# answer: [2] or [0, 2].
#
# Schoolbook product without big integers: column k of the product is the
# sum of a[i] * b[k - i] over the i where both exist (a fold over just those
# i), then a scan propagates the carries through the columns.
input xs: List[Int]
let n = len(xs) in
if n < 3 then [0 for i in range(n - 1)] + [2] else
let p = fold (s, i) -> if xs[i] == 2 then i else s from 0 over range(n) in
let lb = n - p - 1 in
let w = p + lb in
let cols = [
  (let lo = (if k + 1 > lb then k + 1 - lb else 0) in
   let hi = (if k < p then k else p - 1) in
   fold (s, j) -> s + xs[lo + j] * xs[p + 1 + k - lo - j] from 0 over range(hi - lo + 1))
  for k in range(w - 1)] in
let bits = [st.bit for st in
  scan (st, i) ->
    let t = (if i < w - 1 then cols[i] else 0) + st.carry in
    {bit: t mod 2, carry: t / 2}
  from {bit: 0, carry: 0} over range(w)] in
let k = fold (s, i) -> if bits[i] == 1 then i + 1 else s from 1 over range(w) in
[bits[i] for i in range(k)] + [2] + [0 for i in range(n - 1 - k)]
