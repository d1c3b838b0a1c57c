# Binary addition of two numbers given as bit lists.
#
# Endianness: LITTLE-endian, bit 0 is the least significant, for both inputs
# and the output. The inputs may differ in length (missing bits count as 0);
# the output has one bit more than the longer input (the final carry, which may
# be 0). A scan walks the positions with a record state {bit, carry}.
# Example: a = [1, 1, 0, 1] (11), b = [0, 1, 1] (6) -> [1, 0, 0, 0, 1] (17).
input a: List[Int]
input b: List[Int]
let n = (if len(a) > len(b) then len(a) else len(b)) + 1 in
let states =
  scan (st, i) ->
    let t = (if i < len(a) then a[i] else 0) + (if i < len(b) then b[i] else 0) + st.carry in
    {bit: t mod 2, carry: t / 2}
  from {bit: 0, carry: 0} over range(n) in
[st.bit for st in states]
