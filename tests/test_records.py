"""precepts.core.records makes the classes @dataclass(frozen=True, slots=True, eq=False,
repr=False) would, more cheaply: every model class is compared here with the class
@dataclass makes of the same definition, and random definitions with their @dataclass twins."""

from __future__ import annotations

import copy
import dataclasses
import functools
import importlib.util
import inspect
import keyword
import pickle
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from precepts.compiler import model
from precepts.core import records

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def _model_made_by_dataclass() -> types.ModuleType:
    """compiler/model.py loaded again, with @frozen made by @dataclass itself."""
    real = dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)
    spec = importlib.util.spec_from_file_location("precepts.compiler._model_by_dataclass", ROOT / "compiler" / "model.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # @dataclass looks its module up to read the annotations
    saved = records.record
    records.record = real  # type: ignore[assignment]
    try:
        spec.loader.exec_module(module)
    finally:
        records.record = saved  # type: ignore[assignment]
        del sys.modules[spec.name]
    return module


def _field_summary(cls: type) -> list[tuple[Any, ...]]:
    return [
        (f.name, f.type, f.default, f.default_factory, f.init, f.repr, f.hash, f.compare, dict(f.metadata),
         f.kw_only, object.__getattribute__(f, "_field_type"))
        for f in cls.__dataclass_fields__.values()  # type: ignore[attr-defined]
    ]


def _arguments(cls: type) -> dict[str, Any]:
    """A distinct value for every field, so that a mixed-up field shows."""
    return {name: f"value of {name}" for name in cls.__match_args__}  # type: ignore[attr-defined]


def _assert_same_class(made: type, twin: type, picklable: bool = True) -> None:
    assert made.__name__ == twin.__name__ and made.__qualname__ == twin.__qualname__
    assert _field_summary(made) == _field_summary(twin)
    assert str(inspect.signature(made)) == str(inspect.signature(twin))
    assert made.__init__.__annotations__ == twin.__init__.__annotations__  # type: ignore[misc]
    assert made.__match_args__ == twin.__match_args__  # type: ignore[attr-defined]
    assert made.__slots__ == twin.__slots__  # type: ignore[attr-defined]
    assert repr(made.__dataclass_params__) == repr(twin.__dataclass_params__)  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(made)
    assert [f.name for f in dataclasses.fields(made)] == [f.name for f in dataclasses.fields(twin)]
    assert not hasattr(made, "__dict__") or "__dict__" not in made.__dict__

    values = _arguments(made)
    mine, theirs = made(**values), twin(**values)
    positional = made(*values.values())
    for name in made.__match_args__:  # type: ignore[attr-defined]
        assert getattr(mine, name) == getattr(theirs, name) == getattr(positional, name) == values[name]
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    first = made.__match_args__[0]  # type: ignore[attr-defined]
    assert getattr(dataclasses.replace(mine, **{first: "changed"}), first) == "changed"
    pickled = [pickle.loads(pickle.dumps(mine))] if picklable else []
    for instance in (*pickled, copy.copy(mine), copy.deepcopy(mine)):
        assert type(instance) is made
        assert [getattr(instance, n) for n in values] == list(values.values())

    for action in (lambda o: setattr(o, first, 1), lambda o: delattr(o, first)):
        with pytest.raises(dataclasses.FrozenInstanceError) as mine_error:
            action(mine)
        with pytest.raises(dataclasses.FrozenInstanceError) as their_error:
            action(theirs)
        assert str(mine_error.value) == str(their_error.value)
    # @dataclass's own guard fails with a TypeError on a name that is no field (its slotted
    # class is not the class the guard names); here that is refused as frozen too.
    with pytest.raises(dataclasses.FrozenInstanceError):
        mine.other = 1  # type: ignore[attr-defined]
    if any(f.default is dataclasses.MISSING for f in dataclasses.fields(made)):
        with pytest.raises(TypeError) as mine_error:
            made()
        with pytest.raises(TypeError) as their_error:
            twin()
        assert str(mine_error.value) == str(their_error.value)


MODEL_CLASSES = sorted(
    (name for name, value in vars(model).items() if isinstance(value, type) and "__dataclass_fields__" in vars(value)),
)


def test_every_model_class_is_a_record_made_here() -> None:
    assert len(MODEL_CLASSES) >= 30
    for name in MODEL_CLASSES:
        cls = getattr(model, name)
        assert cls.__init__.__module__ != dataclasses.__name__
        assert cls.__setattr__ is records._refuse_assignment, name  # made here, not handed to @dataclass


@pytest.mark.parametrize("name", MODEL_CLASSES)
def test_model_class_matches_what_dataclass_makes(name: str) -> None:
    _assert_same_class(getattr(model, name), getattr(_model_made_by_dataclass(), name))


def test_model_values_compare_hash_and_show_by_fields() -> None:
    span = model.Span("f.precepts", 1, 1, 1, 5)
    grade = model.Grade("good", "Good", None, span)
    assert grade == model.Grade("good", "Good", None, span)
    assert grade != model.Grade("poor", "Good", None, span)
    assert hash(grade) == hash(model.Grade("good", "Good", None, span))
    assert repr(grade) == f"Grade(id='good', label='Good', score=None, span={span!r})"


_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(lambda n: not keyword.iskeyword(n))


@st.composite
def _definitions(draw: st.DrawFn) -> tuple[list[str], dict[str, Any]]:
    names = draw(st.lists(_NAMES, min_size=1, max_size=8, unique=True))
    defaulted = draw(st.integers(0, len(names)))
    defaults = {name: draw(st.one_of(st.none(), st.integers(), st.text(max_size=3), st.tuples(st.integers())))
                for name in names[len(names) - defaulted:]}
    return names, defaults


def _define(names: list[str], defaults: dict[str, Any]) -> type:
    namespace: dict[str, Any] = {"__annotations__": {n: "int | None" for n in names}, "__module__": __name__,
                                 "__qualname__": "Made.Inside"}
    namespace.update(defaults)
    return type("Made", (), namespace)


@given(_definitions())
def test_random_definitions_match_what_dataclass_makes(definition: tuple[list[str], dict[str, Any]]) -> None:
    names, defaults = definition
    made = records.record(_define(names, defaults))
    twin = dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)(_define(names, defaults))
    assert made.__setattr__ is records._refuse_assignment
    _assert_same_class(made, twin, picklable=False)  # pickle finds a class by its module's name for it
    bare = {name: 0 for name in names if name not in defaults}
    for name, default in defaults.items():
        assert getattr(made(**bare), name) == getattr(twin(**bare), name) == default


@pytest.mark.parametrize(
    "namespace",
    [
        {"__annotations__": {"a": "list[int]"}, "a": dataclasses.field(default_factory=list)},  # field()
        {"__annotations__": {"a": "ClassVar[int]", "b": "int"}, "a": 1},  # a class variable
        {"__annotations__": {"a": "int"}, "__init__": lambda self, a: None},  # its own __init__
        {"__annotations__": {"a": "int", "b": "int"}, "a": 1},  # no default after a default
        {"__annotations__": {"a": "list[int]"}, "a": []},  # a mutable default
        {"__annotations__": {"self": "int"}},  # a name the generated code uses
    ],
)
def test_other_definitions_go_to_dataclass_itself(namespace: dict[str, Any]) -> None:
    def attempt(maker: Any) -> Any:
        try:
            made = maker(type("Other", (), {"__module__": __name__, **namespace}))
        except Exception as error:  # the same error as @dataclass's, or the same class
            return type(error), str(error)
        return _field_summary(made), str(inspect.signature(made)), made.__setattr__.__qualname__

    assert attempt(records.record) == attempt(dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False))
