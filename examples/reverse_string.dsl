# Reverse a string of tokens: position i of the output reads position
# len(xs) - 1 - i of the input. An index-wise loop over range(len(xs)).
input xs: List[Int]
[xs[len(xs) - 1 - i] for i in range(len(xs))]
