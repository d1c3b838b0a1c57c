# Cycle navigation (DeepMind's "Neural Networks and the Chomsky Hierarchy",
# tasks/regular/cycle_navigation.py): walk on a circle of 5 positions starting
# at 0 and report the final position.
#
# What the reference code does (read there, not guessed): actions are drawn
# with randint(minval=0, maxval=3), i.e. tokens 0, 1, 2, and the answer is
# sum(actions - 1) % 5. So token 0 is a step LEFT (-1), token 1 is STAY (0) and
# token 2 is a step RIGHT (+1); its docstring's "0 stay, 1 right, -1 left"
# describes the steps before the +1 shift into tokens.
input xs: List[Int]
fold (s, x) -> (s + x - 1) mod 5 from 0 over xs
