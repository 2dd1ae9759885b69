"""The stubs of the student edition (``make student``): one per exercise, keyed by notebook and exercise.

scripts/make_student.py replaces each notebook's code cell tagged ``solution`` that calls
``check_exercise_N`` by ``STUBS[notebook][N]``. A stub shows the learner what to define (the names,
the signature or class skeleton of the worked solution, a line pointing to the exercise text) and
calls the check as the worked solution does. It leaves each value as ``TODO`` and each body as
``raise NotSolved``, so the check prints ``exercise N: not solved yet`` until the learner writes it
(helpers/exercises.py). tests/test_student.py checks that every exercise has a stub with the
solution's names and signatures, that no line of a solution leaks into one, and that each prints
"not solved yet". When an exercise changes, change its stub here.
"""

from __future__ import annotations

STUBS: dict[str, dict[int, str]] = {
    "01_call_styles.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def leaky(x):
    """What nn.LeakyReLU(negative_slope=0.2) returns, with functions only, for any shape; x unchanged."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(leaky)
''',
        2: '''\
# Exercise 2 (see its text above): replace each TODO with your value, then run this cell.
model = TODO  # nn.Sequential(Linear(3, 8), PReLU with one slope per hidden unit, Linear(8, 1))
n_params = TODO  # an int: the model's trainable parameters, counted by hand
check_exercise_2(model, n_params)
''',
        3: '''\
# Exercise 3 (see its text above): replace each TODO with your value, then run this cell.
loss = TODO  # the mean nn.BCEWithLogitsLoss of logits [2.0, -1.0, 0.5] and labels [1, 0, 0]
check_exercise_3(loss)
''',
    },
    "02_activations.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each TODO with your value, then run this cell.
x_tanh_one = TODO  # the smallest float32 x at which tanh in float64, rounded to float32, is 1.0
check_exercise_1(x_tanh_one)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def gelu_tanh(x):
    """The tanh approximation of GELU, written with torch operations (no F.gelu, no nn.GELU)."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(gelu_tanh)
''',
        3: '''\
# Exercise 3 (see its text above): replace the TODO and the `raise NotSolved`, then run this cell.
class Swish(nn.Module):
    """x * sigmoid(beta * x), with beta a learnable scalar nn.Parameter initialised to 1."""

    def __init__(self):
        super().__init__()
        self.beta = TODO  # your code here: the learnable scalar

    def forward(self, x):
        raise NotSolved  # your code here, in place of this line


check_exercise_3(Swish())
''',
    },
    "03_softmax.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def my_softmax(x, dim):
    """F.softmax(x, dim=dim) from torch.exp and sum, finite for large logits of either sign."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(my_softmax)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def my_log_softmax(logits):
    """F.log_softmax(logits, dim=1) of (N, C) logits, with torch.logsumexp."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(my_log_softmax)
''',
        3: '''\
# Exercise 3 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def two_class_logits(z):
    """(N, 2) logits, differentiable in the (N,) logits z, whose softmax over dim 1 is sigmoid(z) in column 1."""
    raise NotSolved  # your code here, in place of this line


check_exercise_3(two_class_logits)
''',
    },
    "04_reduction.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def to_reduction(size_average, reduce):
    """The reduction string a loss built with these legacy arguments ends up with."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(to_reduction)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def weighted_ce_mean(logits, targets, weight):
    """F.cross_entropy(logits, targets, weight=weight): reduction='none', then your own denominator."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(weighted_ce_mean)
''',
        3: '''\
# Exercise 3 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def masked_mean(losses, mask):
    """The mean of losses where mask is True, 0 for an all-False mask, as a tensor."""
    raise NotSolved  # your code here, in place of this line


check_exercise_3(masked_mean)
''',
    },
    "05_regression_losses.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def huber(preds, targets, delta):
    """The Huber loss per element, for any shape, with torch.where (no PyTorch loss)."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(huber)
''',
        2: '''\
# Exercise 2 (see its text above): replace each TODO with your value, then run this cell.
delta = TODO  # a number for which HuberLoss(delta) of the predictions and targets above is half the MSELoss
check_exercise_2(delta)
''',
        3: '''\
# Exercise 3 (see its text above): replace each TODO with your value, then run this cell.
c = TODO  # the constant minimising the mean HuberLoss(delta=1) against the outlier data's y
check_exercise_3(c)
''',
    },
    "06_binary_losses.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def bce_logits(logits, targets):
    """The per-element binary cross-entropy from logits, for targets in [0, 1], exact at logits of ±200."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(bce_logits)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def class_pos_weight(labels):
    """The (C,) float tensor of negatives / positives per class of (N, C) 0/1 float labels."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(class_pos_weight)
''',
        3: '''\
# Exercise 3 (see its text above): replace each TODO with your value, then run this cell.
loss = TODO  # the mean BCEWithLogitsLoss of the seeded nn.Linear(3, 1) on X, as a tensor
check_exercise_3(loss)
''',
    },
    "07_multiclass_losses.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def floor_fn(C):
    """The smallest value CrossEntropyLoss can return for a model that ends in a softmax, C classes."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(floor_fn)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def to_class_indices(raw):
    """What CrossEntropyLoss expects, from (N, 1) float labels numbered from 1."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(to_class_indices)
''',
        3: '''\
# Exercise 3 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def weighted_ce(logits, targets, weight):
    """F.cross_entropy(logits, targets, weight=weight) from torch.log_softmax alone; -100 is padding."""
    raise NotSolved  # your code here, in place of this line


check_exercise_3(weighted_ce)
''',
    },
    "08_nll_equivalence.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def my_nll_loss(log_probs, targets, weight=None):
    """F.nll_loss(log_probs, targets, weight=weight), with indexing and sums only."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(my_nll_loss)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def ce_grad(logits, targets):
    """The gradient of F.cross_entropy(logits, targets) with respect to logits, without autograd."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(ce_grad)
''',
        3: '''\
# Exercise 3 (see its text above): replace each TODO with your value, then run this cell.
expected_ce = TODO  # CrossEntropyLoss on uniform logits over 5 classes, computed with PyTorch
expected_wrong = TODO  # NLLLoss(softmax(logits)) on the same logits and targets
check_exercise_3(expected_ce, expected_wrong)
''',
    },
    "09_custom_losses_focal.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def softmax_focal(logits, targets, gamma=2.0):
    """The mean multiclass focal loss of (N, C) logits and (N,) int64 targets, log p_t from log_softmax."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(softmax_focal)
''',
        2: '''\
# Exercise 2 (see its text above): replace each TODO with your value, then run this cell.
alpha = TODO  # the alpha that gives all positives of imbalanced_binary the total weight of all negatives
check_exercise_2(alpha)
''',
    },
    "10_debugging_losses.ipynb": {
        1: '''\
# Exercise 1 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def train_loss(logits, raw_labels):
    """The mean cross-entropy of (N, C) logits and (N, 1) float labels numbered from 1, for any N."""
    raise NotSolved  # your code here, in place of this line


check_exercise_1(train_loss)
''',
        2: '''\
# Exercise 2 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def looks_like_probabilities(x, tol=1e-3):
    """True when every row of x holds values in [0, 1] that sum to 1 to within tol."""
    raise NotSolved  # your code here, in place of this line


check_exercise_2(looks_like_probabilities)
''',
        3: '''\
# Exercise 3 (see its text above): replace each `raise NotSolved` with your code, then run this cell.
def smoothing_floor(C, eps):
    """The lowest value CrossEntropyLoss(label_smoothing=eps) can take for one example with C classes."""
    raise NotSolved  # your code here, in place of this line


check_exercise_3(smoothing_floor)
''',
    },
}
