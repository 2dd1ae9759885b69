"""helpers.train and helpers.mlp: determinism, equality with torch.optim, bad input."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from helpers import History, mlp, train


def _data():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(32, 3, generator=g)
    y = X @ torch.tensor([1.0, -2.0, 0.5]) + 0.1 * torch.randn(32, generator=g)
    return X, y.unsqueeze(1)


def _model():
    torch.manual_seed(0)
    return mlp(3, [8], 1, activation=nn.Tanh)


def test_mlp_alternates_linear_layers_and_activations():
    model = mlp(2, [4, 5], 3, activation=nn.ReLU)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert model(torch.zeros(7, 2)).shape == (7, 3)


def test_mlp_without_activation_is_purely_linear():
    model = mlp(2, [4], 1, activation=None)
    assert [type(m).__name__ for m in model] == ["Linear", "Linear"]


def test_train_records_epochs_plus_one_losses_and_decreases_loss():
    X, y = _data()
    history = train(_model(), X, y, nn.MSELoss(), epochs=50, lr=0.05)
    assert isinstance(history, History) and len(history) == 51
    assert history.final < history.losses[0]


def test_train_is_deterministic():
    X, y = _data()
    a = train(_model(), X, y, nn.MSELoss(), epochs=20, optimizer="adam", lr=0.01)
    b = train(_model(), X, y, nn.MSELoss(), epochs=20, optimizer="adam", lr=0.01)
    assert a.losses == b.losses


@pytest.mark.parametrize(("name", "opt_cls"), [("sgd", torch.optim.SGD), ("adam", torch.optim.Adam)])
def test_updates_match_torch_optim(name, opt_cls):
    X, y = _data()
    ours = _model()
    history = train(ours, X, y, nn.MSELoss(), epochs=30, lr=0.01, optimizer=name)
    reference = _model()
    opt = opt_cls(reference.parameters(), lr=0.01, foreach=False)
    losses = []
    for _ in range(30):
        opt.zero_grad()
        loss = nn.MSELoss()(reference(X), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert history.losses[:30] == pytest.approx(losses, rel=1e-6)
    for p, q in zip(ours.parameters(), reference.parameters()):
        assert torch.allclose(p, q, rtol=1e-6, atol=1e-7)


def test_train_leaves_frozen_parameters_alone():
    X, y = _data()
    model = _model()
    model[0].weight.requires_grad_(False)
    before = model[0].weight.clone()
    train(model, X, y, nn.MSELoss(), epochs=5)
    assert torch.equal(model[0].weight, before)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"model": "net"}, TypeError, "model must be a torch.nn.Module, got str"),
        ({"X": [[1.0]]}, TypeError, "X must be a torch.Tensor, got list"),
        ({"X": torch.ones(32, 3, dtype=torch.int64)}, TypeError, "X must have a floating dtype"),
        ({"y": torch.ones(31, 1)}, ValueError, r"same number of rows, got shapes \(32, 3\) and \(31, 1\)"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn must be callable"),
        ({"epochs": 0}, ValueError, "epochs must be >= 1, got 0"),
        ({"epochs": 2.0}, TypeError, "epochs must be an int, got float 2.0"),
        ({"lr": -0.1}, ValueError, "lr must be a finite number > 0, got -0.1"),
        ({"lr": "0.1"}, TypeError, "lr must be a real number, got str"),
        ({"optimizer": "rmsprop"}, ValueError, r"optimizer must be one of \('sgd', 'adam'\), got 'rmsprop'"),
        ({"seed": -3}, ValueError, "seed must be >= 0"),
        ({"loss_fn": nn.MSELoss(reduction="none")}, ValueError, r"loss_fn must return a scalar tensor .* got \(32, 1\)"),
    ],
)
def test_train_bad_input_raises_a_clear_error(kwargs, error, message):
    X, y = _data()
    args = {"model": _model(), "X": X, "y": y, "loss_fn": nn.MSELoss(), **kwargs}
    with pytest.raises(error, match=message):
        train(args.pop("model"), args.pop("X"), args.pop("y"), args.pop("loss_fn"), **args)


def test_train_model_without_trainable_parameters_raises():
    X, y = _data()
    with pytest.raises(ValueError, match="no trainable parameters"):
        train(nn.Identity(), X, y, nn.MSELoss())


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, [4], 1), ValueError, "in_features must be >= 1, got 0"),
        ((2, 4, 1), TypeError, "hidden must be a sequence of ints, got int"),
        ((2, [4, 0], 1), ValueError, r"hidden\[1\] must be >= 1, got 0"),
        ((2, [4], 1.0), TypeError, "out_features must be an int"),
    ],
)
def test_mlp_bad_input_raises(args, error, message):
    with pytest.raises(error, match=message):
        mlp(*args)


def test_mlp_activation_must_build_a_module():
    with pytest.raises(TypeError, match=r"activation\(\) must return an nn.Module, got builtin_function_or_method"):
        mlp(2, [3], 1, activation=lambda: torch.relu)
    with pytest.raises(TypeError, match="activation must be a callable"):
        mlp(2, [3], 1, activation="relu")
