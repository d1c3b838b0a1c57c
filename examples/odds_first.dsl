# Odds first (tasks/cs/odds_first.py), as the code orders it: the tokens at
# the 0-based odd positions 1, 3, 5, ... first, then those at 0, 2, 4, ...
input xs: List[Int]
[xs[2 * i + 1] for i in range(len(xs) / 2)] + [xs[2 * i] for i in range((len(xs) + 1) / 2)]
