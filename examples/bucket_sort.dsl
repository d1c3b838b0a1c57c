# Bucket sort (tasks/cs/bucket_sort.py): tokens 0..4 in increasing order.
# For each value v in turn, append the tokens equal to v.
input xs: List[Int]
fold (acc, v) -> acc + [x for x in xs if x == v] from [x for x in xs if false] over range(5)
