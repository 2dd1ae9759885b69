"""helpers.seeds: copies side by side equal the networks built and trained alone; bad input is refused."""

from __future__ import annotations

from functools import partial

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from helpers import mlp, train
from helpers.seeds import PerCopy, Stacked, fit, per_copy_loss, side_by_side, spread

SEEDS = [0, 3, 7]
make_tanh = partial(mlp, 2, [6], 3, activation=nn.Tanh)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """One thread, as in the notebooks: on these tiny tensors more threads only add waiting (50x on a busy CPU)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


class Maxout(nn.Module):
    """The Maxout unit of notebook 02: all its parameters sit in one nn.Linear child."""

    def __init__(self, in_features: int, out_features: int, k: int = 2) -> None:
        super().__init__()
        self.out_features, self.k = out_features, k
        self.linear = nn.Linear(in_features, out_features * k)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = self.linear(x)
        return z.view(*z.shape[:-1], self.out_features, self.k).amax(dim=-1)


def make_maxout() -> nn.Sequential:
    return nn.Sequential(Maxout(2, 5, k=3), nn.Linear(5, 3))


def make_no_bias() -> nn.Sequential:
    return nn.Sequential(nn.Linear(2, 4, bias=False), nn.ReLU(), nn.Linear(4, 3, bias=False))


def alone(make_model, seed: int) -> nn.Sequential:
    torch.manual_seed(seed)
    return make_model()


def _data(n: int = 24, classes: int = 3):
    g = torch.Generator().manual_seed(1)
    return torch.randn(n, 2, generator=g), torch.randint(0, classes, (n,), generator=g)


def _copy_parameters(model: nn.Sequential, s: int) -> list[torch.Tensor]:
    """The parameters of copy s, in the order of the model it was built from."""
    params = []
    for layer in model:
        if isinstance(layer, PerCopy):
            params += list(layer.copies[s].parameters())
        else:
            params += [p[s] for p in layer.parameters()]  # Stacked, or a module of Stacked children
    return params


@pytest.mark.parametrize(
    "make_model", [make_tanh, make_maxout, make_no_bias, partial(mlp, 2, [4], 3, activation=nn.PReLU)]
)
def test_each_copy_has_the_parameters_of_the_model_built_alone_after_manual_seed(make_model):
    model = side_by_side(make_model, SEEDS)
    for s, seed in enumerate(SEEDS):
        expected = list(alone(make_model, seed).parameters())
        got = _copy_parameters(model, s)
        assert len(got) == len(expected)
        assert all(torch.equal(a, b) for a, b in zip(got, expected))


def test_copies_are_ordered_model_by_model_then_seed_by_seed():
    makers = [partial(mlp, 2, [6], 3, activation=a) for a in (nn.ReLU, nn.Sigmoid)]
    model = side_by_side(makers, SEEDS)
    assert model[0].weight.shape == (len(makers) * len(SEEDS), 6, 2)
    for m, make_model in enumerate(makers):
        for s, seed in enumerate(SEEDS):
            assert torch.equal(model[0].weight[m * len(SEEDS) + s], alone(make_model, seed)[0].weight)
            assert type(model[1].copies[m * len(SEEDS) + s]) is type(make_model()[1])


def test_copies_share_no_parameter():
    make_model = partial(mlp, 2, [4], 3, activation=nn.PReLU)
    model = side_by_side(make_model, SEEDS)
    assert len({id(copy.weight) for copy in model[1].copies}) == len(SEEDS)  # one PReLU slope per copy
    per_copy = sum(p.numel() for p in make_model().parameters())
    assert sum(p.numel() for p in model.parameters()) == len(SEEDS) * per_copy


@pytest.mark.parametrize(
    "makers",
    [
        make_tanh,
        [partial(mlp, 2, [6], 3, activation=a) for a in (nn.Identity, nn.Tanh, nn.ReLU, nn.PReLU, nn.GELU)],
        make_maxout,
        make_no_bias,
        partial(mlp, 2, [5, 4], 3, activation=nn.SiLU),
    ],
)
def test_the_stacked_output_of_each_copy_equals_that_copy_run_alone(makers):
    X, _ = _data()
    model = side_by_side(makers, SEEDS)
    with torch.no_grad():
        outputs = model(X)
        makers = makers if isinstance(makers, list) else [makers]
        expected = torch.stack([alone(m, seed)(X) for m in makers for seed in SEEDS])
    assert outputs.shape == (len(makers) * len(SEEDS), len(X), 3)
    assert (outputs - expected).abs().max().item() < 1e-6


def test_equal_parameter_free_activations_act_on_their_copies_at_once():
    makers = [partial(mlp, 2, [6], 3, activation=a) for a in (nn.ReLU, nn.PReLU, nn.Tanh)]
    layer = side_by_side(makers, SEEDS)[1]
    assert [len(run) for run in layer.runs] == [len(SEEDS), 1, 1, 1, len(SEEDS)]


@pytest.mark.parametrize(
    ("makers", "kwargs"),
    [
        (make_tanh, {"optimizer": "adam", "lr": 0.05}),
        (
            [partial(mlp, 2, [6], 3, activation=a) for a in (nn.ReLU, nn.PReLU)],
            {"optimizer": "sgd", "lr": 0.5},
        ),
        (make_maxout, {"optimizer": "adam", "lr": 0.05}),
    ],
)
def test_training_side_by_side_equals_training_each_copy_alone(makers, kwargs):
    X, y = _data()
    model = side_by_side(makers, SEEDS)
    curves, accuracy = fit(model, X, y, epochs=15, **kwargs)
    makers = makers if isinstance(makers, list) else [makers]
    s = 0
    for make_model in makers:
        for seed in SEEDS:
            net = alone(make_model, seed)
            history = train(net, X, y, nn.CrossEntropyLoss(), epochs=15, **kwargs)
            assert (torch.tensor(history.losses) - curves[:, s]).abs().max().item() < 1e-6
            for got, expected in zip(_copy_parameters(model, s), net.parameters()):
                assert (got - expected).abs().max().item() < 1e-6
            with torch.no_grad():
                assert accuracy[s].item() == (net(X).argmax(dim=1) == y).float().mean().item()
            s += 1


def test_fit_returns_each_copys_loss_before_every_update_and_after_the_last():
    X, y = _data()
    curves, accuracy = fit(side_by_side(make_tanh, SEEDS), X, y, epochs=7, lr=0.1)
    assert curves.shape == (8, len(SEEDS)) and accuracy.shape == (len(SEEDS),)
    assert ((accuracy >= 0) & (accuracy <= 1)).all()


def test_per_copy_loss_equals_the_cross_entropy_of_each_copy():
    g = torch.Generator().manual_seed(0)
    logits, y = torch.randn(4, 10, 5, generator=g), torch.randint(0, 5, (10,), generator=g)
    expected = torch.stack([F.cross_entropy(copy, y) for copy in logits])
    assert (per_copy_loss(logits, y) - expected).abs().max().item() < 1e-6


def test_side_by_side_leaves_the_global_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    side_by_side(make_tanh, SEEDS)
    assert torch.equal(torch.rand(3), expected)


def test_spread_prints_min_to_max():
    assert spread(torch.tensor([0.25, 0.5, 0.125])) == "0.125 to 0.500"
    assert spread(torch.tensor([2e-3, 5e-1]), ".0e") == "2e-03 to 5e-01"


def _returns(value):
    return lambda: value


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: side_by_side(make_tanh, []), ValueError, "seeds must hold at least one seed"),
        (lambda: side_by_side(make_tanh, range(0)), ValueError, "seeds must hold at least one seed"),
        (lambda: side_by_side(make_tanh, 5), TypeError, "seeds must be an iterable of ints"),
        (lambda: side_by_side(make_tanh, "01"), TypeError, "seeds must be an iterable of ints"),
        (lambda: side_by_side(make_tanh, [0, 1.5]), TypeError, "seeds[1] must be an int"),
        (lambda: side_by_side(make_tanh, [0, -1]), ValueError, "seeds[1] must be >= 0"),
        (lambda: side_by_side([], SEEDS), ValueError, "make_models must hold at least one callable"),
        (
            lambda: side_by_side("mlp", SEEDS),
            TypeError,
            "make_models must be a callable or a list of callables",
        ),
        (lambda: side_by_side([make_tanh, 3], SEEDS), TypeError, "make_models[1] must be a callable"),
        (lambda: side_by_side(make_tanh(), SEEDS), TypeError, "not be one: got an instance of Sequential"),
        (lambda: side_by_side(_returns(nn.Linear(2, 3)), SEEDS), TypeError, "must return an nn.Sequential"),
        (
            lambda: side_by_side([make_tanh, partial(mlp, 2, [7], 3)], SEEDS),
            ValueError,
            "same architecture; layer 0: linears must all have the same (out, in) weight shape",
        ),
        (
            lambda: side_by_side([make_tanh, partial(mlp, 2, [6, 6], 3)], SEEDS),
            ValueError,
            "same architecture; got models of [3, 5] layers",
        ),
        (
            lambda: side_by_side(
                [make_tanh, _returns(nn.Sequential(nn.Linear(2, 6), nn.Linear(6, 6), nn.Linear(6, 3)))], [0]
            ),
            ValueError,
            "layer 1 differs (copy 0: Tanh, copy 1: Linear)",
        ),
        (
            lambda: side_by_side(
                [make_tanh, _returns(nn.Sequential(nn.Linear(2, 6, bias=False), nn.Tanh(), nn.Linear(6, 3)))],
                [0],
            ),
            ValueError,
            "layer 0: linears must all have a bias or all have none",
        ),
        (lambda: Stacked([]), ValueError, "linears must be a non-empty sequence of Linear"),
        (lambda: Stacked([nn.ReLU()]), TypeError, "linears[0] must be an instance of Linear"),
        (lambda: PerCopy([]), ValueError, "modules must be a non-empty sequence of Module"),
        (lambda: PerCopy([nn.ReLU(), torch.relu]), TypeError, "modules[1] must be an instance of Module"),
        (
            lambda: Stacked([nn.Linear(2, 3)] * 2)(torch.zeros(4, 5)),
            ValueError,
            "expects input of shape (N, 2) or (2, N, 2)",
        ),
        (lambda: Stacked([nn.Linear(2, 3)] * 2)(torch.zeros(3, 4, 2)), ValueError, "got (3, 4, 2)"),
        (
            lambda: PerCopy([nn.ReLU(), nn.Tanh()])(torch.zeros(3, 4)),
            ValueError,
            "expects input of shape (2, ...)",
        ),
        (
            lambda: per_copy_loss(torch.zeros(10, 3), torch.zeros(10, dtype=torch.int64)),
            ValueError,
            "logits must have 3 dimension(s)",
        ),
        (
            lambda: per_copy_loss(torch.zeros(2, 10, 3), torch.zeros(10)),
            TypeError,
            "y must hold class indices of dtype torch.int64",
        ),
        (
            lambda: per_copy_loss(torch.zeros(2, 10, 3), torch.zeros(9, dtype=torch.int64)),
            ValueError,
            "N = 10; got 9",
        ),
        (
            lambda: per_copy_loss(
                torch.zeros(2, 10, 3, dtype=torch.int64), torch.zeros(10, dtype=torch.int64)
            ),
            TypeError,
            "logits must have a floating dtype",
        ),
        (lambda: fit(make_tanh, *_data()), TypeError, "model must be a torch.nn.Module"),
        (lambda: fit(side_by_side(make_tanh, SEEDS), *_data(), epochs=0), ValueError, "epochs must be >= 1"),
        (lambda: fit(make_tanh(), *_data()), ValueError, "logits must have 3 dimension(s)"),
        (lambda: spread(torch.tensor([])), ValueError, "values must hold at least one number"),
        (lambda: spread([0.1, 0.2]), TypeError, "values must be a torch.Tensor"),
    ],
)
def test_bad_input_raises_an_error_naming_the_argument(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
