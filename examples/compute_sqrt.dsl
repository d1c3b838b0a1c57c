# Compute sqrt (tasks/cs/compute_sqrt.py): floor of the square root of a
# BIG-endian binary number, big-endian, zero-padded to ceil(len(xs) / 2) bits.
#
# The digit-by-digit (restoring) square root, on bit lists so that numbers of
# 500 bits fit: take the input two bits at a time from the top (a 0 in front
# when the length is odd); with remainder r and root y, let s = 4r + pair and
# t = 4y + 1; if s >= t the next root bit is 1 and r = s - t, else it is 0 and
# r = s. r and y are little-endian lists of w bits, wide enough for s and t;
# the subtraction is a scan with a borrow, whose last borrow says s < t.
input xs: List[Int]
let n = len(xs) in
let m = n mod 2 in
let h = (n + 1) / 2 in
let w = h + 3 in
let zeros = [0 for i in range(w)] in
let root =
  fold (st, k) ->
    let hi = (if 2 * k < m then 0 else xs[2 * k - m]) in
    let lo = xs[2 * k + 1 - m] in
    let s = [(if i == 0 then lo else if i == 1 then hi else st.r[i - 2]) for i in range(w)] in
    let diff =
      scan (d, i) ->
        let v = s[i] - (if i == 0 then 1 else if i == 1 then 0 else st.y[i - 2]) - d.borrow in
        {bit: v mod 2, borrow: if v < 0 then 1 else 0}
      from {bit: 0, borrow: 0} over range(w) in
    let ok = diff[w - 1].borrow == 0 in
    {r: if ok then [d.bit for d in diff] else s,
     y: [(if i == 0 then (if ok then 1 else 0) else st.y[i - 1]) for i in range(w)]}
  from {r: zeros, y: zeros} over range(h) in
[root.y[h - 1 - i] for i in range(h)]
