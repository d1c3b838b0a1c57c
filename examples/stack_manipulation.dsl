# Stack manipulation (tasks/dcf/stack_manipulation.py): bits 0/1 give the
# initial stack bottom to top, then actions 2 = POP, 3 = PUSH 0, 4 = PUSH 1
# (a POP on an empty stack does nothing). Output: the final stack top to
# bottom, the termination token 2, then 0s up to len(xs) + 1 tokens.
#
# The fold keeps the stack top first: a bit and PUSH both put a value in
# front, POP drops the first element (a comprehension shifted by one).
input xs: List[Int]
let stack =
  fold (st, x) ->
    if x == 2 then [st[i + 1] for i in range(len(st) - 1)]
    else [if x > 2 then x - 3 else x] + st
  from [x for x in xs if false] over xs in
stack + [2] + [0 for i in range(len(xs) - len(stack))]
