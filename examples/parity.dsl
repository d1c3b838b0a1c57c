# Parity check: 1 if the list holds an odd number of ones, else 0.
# The state starts at 0 and is xor-ed with every bit in turn.
input xs: List[Int]
fold (s, x) -> s xor x from 0 over xs
