"""Frozen, slotted record classes, made cheaply at import.

`record(cls)` gives `cls` what `@dataclass(frozen=True, slots=True, eq=False, repr=False)`
would: the same `__init__` (positional or keyword, with the same defaults), `__slots__`,
`__match_args__`, assignment and deletion refused with `FrozenInstanceError`, pickling, and
the `__dataclass_fields__` that `dataclasses.fields`, `replace`, `asdict` and `is_dataclass`
read. It does not compare, hash or show instances; a base class does that once for all
(compiler/model.py's `_Value`). Nor does it write the docstring @dataclass gives a class
that has none (its signature, which costs a call of inspect.signature per class).

Why not @dataclass itself: it compiles three functions per class and builds each class
twice, about 0.6 ms a class. The model's thirty-odd classes made importing it the slowest
step of a `precepts check` of a small framework (issue 15). Here each class costs one short
compiled `__init__` and one class creation.

Anything outside the simple case that the model uses (a field default made by `field()`,
a `ClassVar` or `InitVar`, a mutable default, fields inherited from a dataclass, names the
generated code would shadow) is handed to @dataclass itself, which then decides, and
raises its own errors. tests/test_records.py checks every model class against the class
@dataclass makes of the same definition.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

_Class = TypeVar("_Class", bound=type)


@dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)
class _Reference:
    """A class @dataclass made, to copy the parts of the protocol no public name gives."""

    field: int = 0


# What marks a real field (not a ClassVar or InitVar) to dataclasses.fields(), and the class
# parameters @dataclass records for a frozen class made without eq and repr; read from a
# class it made, so that they are right for whichever Python runs this. (A field's mark is
# a slotted attribute no public name reads.)
_FIELD_MARK: Any = object.__getattribute__(_Reference.__dataclass_fields__["field"], "_field_type")
_PARAMS: Any = vars(_Reference).get("__dataclass_params__")


# What `record` hands the classes it does not make itself to.
_AS_DATACLASS: Any = dataclasses.dataclass(frozen=True, slots=True, eq=False, repr=False)


def _refuse_assignment(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _get_state(self: Any) -> list[Any]:
    return [getattr(self, name) for name in self.__match_args__]


def _set_state(self: Any, state: list[Any]) -> None:
    for name, value in zip(self.__match_args__, state, strict=False):
        object.__setattr__(self, name, value)


def _simple(cls: type, annotations: dict[str, Any]) -> bool:
    """Whether `cls` is the plain case made here; anything else goes to @dataclass."""
    if any(name in cls.__dict__ for name in ("__slots__", "__match_args__", "__init__", "__setattr__", "__delattr__")):
        return False
    if any(hasattr(base, "__dataclass_fields__") for base in cls.__mro__[1:]):
        return False
    for name, annotation in annotations.items():
        if not isinstance(annotation, str) or "ClassVar" in annotation or "InitVar" in annotation:
            return False
        if name == "self" or name.startswith("_"):
            return False
        if name in cls.__dict__:
            default = cls.__dict__[name]
            if isinstance(default, dataclasses.Field) or type(default).__hash__ is None:
                return False
    return True


def record(cls: _Class) -> _Class:
    """`cls` as a frozen, slotted dataclass without eq, hash or repr (see the module's docstring)."""
    annotations: dict[str, Any] = vars(cls).get("__annotations__", {})  # as @dataclass reads them (3.11)
    if not _simple(cls, annotations):
        made: _Class = _AS_DATACLASS(cls)
        return made
    names = tuple(annotations)
    defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
    seen_default = False
    for name in names:  # a field without a default after one with: @dataclass's own TypeError
        if name in defaults:
            seen_default = True
        elif seen_default:
            made = _AS_DATACLASS(cls)
            return made

    fields: dict[str, dataclasses.Field[Any]] = {}
    for name in names:
        made_field: dataclasses.Field[Any] = dataclasses.field(default=defaults.get(name, dataclasses.MISSING))
        made_field.name = name
        made_field.type = annotations[name]
        made_field.kw_only = False  # as @dataclass sets it
        object.__setattr__(made_field, "_field_type", _FIELD_MARK)
        fields[name] = made_field

    namespace = dict(cls.__dict__)
    for name in names:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    namespace["__slots__"] = names
    namespace["__match_args__"] = names
    namespace["__dataclass_fields__"] = fields
    if _PARAMS is not None:
        namespace["__dataclass_params__"] = _PARAMS
    namespace["__init__"] = _initialiser(cls.__qualname__, names, defaults, annotations)
    namespace["__setattr__"] = _refuse_assignment
    namespace["__delattr__"] = _refuse_deletion
    namespace.setdefault("__getstate__", _get_state)
    namespace.setdefault("__setstate__", _set_state)
    made = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made


def _initialiser(qualname: str, names: tuple[str, ...], defaults: dict[str, Any],
                 annotations: dict[str, Any]) -> Any:
    """The `__init__` @dataclass would write: each argument set past the frozen guard."""
    parameters = ", ".join(f"{name}=_default_{name}" if name in defaults else name for name in names)
    body = "".join(f"    _set(self, {name!r}, {name})\n" for name in names) or "    pass\n"
    namespace: dict[str, Any] = {"_set": object.__setattr__}
    namespace.update((f"_default_{name}", value) for name, value in defaults.items())
    exec(f"def __init__(self, {parameters}):\n{body}", namespace)  # our own text, as @dataclass execs its own
    initialiser = namespace["__init__"]
    initialiser.__qualname__ = f"{qualname}.__init__"
    initialiser.__annotations__ = {**{name: annotations[name] for name in names}, "return": None}
    return initialiser
