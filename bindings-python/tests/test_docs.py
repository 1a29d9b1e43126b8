"""`help()` and an editor's hover are how a Python user reads an SDK: every public class,
function, method and property of the package says what it does."""

import inspect
import json
from typing import List

from conftest import VECTORS

import instasent

# The dunder methods whose docstrings are the SDK's own (`with`); the others pyo3 builds carry
# Python's generic slot docs ("Implement iter(self)."), which a check here could not fail on.
OWN_DUNDERS = {"__enter__", "__exit__"}


def public_names() -> List[str]:
    return [n for n in dir(instasent) if not n.startswith("_")]


def undocumented_members(cls: type) -> List[str]:
    missing = []
    for name, member in vars(cls).items():
        if name.startswith("_") and name not in OWN_DUNDERS:
            continue
        # InstasentError's attributes are class-level defaults (None, {}); the class docstring
        # names them. Anything callable or a descriptor carries its own docstring.
        if not (callable(member) or inspect.isdatadescriptor(member) or inspect.ismethoddescriptor(member)):
            continue
        if not (getattr(member, "__doc__", None) or "").strip():
            missing.append(f"{cls.__name__}.{name}")
    return missing


def test_every_public_class_and_function_has_a_docstring() -> None:
    missing = [
        name
        for name in public_names()
        if (inspect.isclass(getattr(instasent, name)) or callable(getattr(instasent, name)))
        and not (getattr(instasent, name).__doc__ or "").strip()
    ]
    assert missing == []


def test_every_public_method_and_property_has_a_docstring() -> None:
    classes = [getattr(instasent, n) for n in public_names() if inspect.isclass(getattr(instasent, n))]
    # The objects methods return are public too (a campaign, the history iterators).
    with instasent.Sandbox() as sandbox:
        client = sandbox.client()
        returned: List[object] = [client.campaign([]), client.iter_sms(), client.iter_lookups()]
        returned.append(instasent.AsyncClient("t").iter_sms())
        classes += [type(obj) for obj in returned]
    missing = sorted({m for cls in classes for m in undocumented_members(cls)})
    assert missing == []


def test_documented_methods_say_what_they_call_and_return() -> None:
    # Spot checks that the docstrings are the SDK's own, not empty placeholders.
    assert "POST /sms" in (instasent.Client.send_sms.__doc__ or "")
    assert "response_code" in (instasent.Client.__doc__ or "")
    assert "coroutine" in (instasent.AsyncClient.get_sms.__doc__ or "")
    assert "E.164" in (instasent.Sms.to.__doc__ or "")
    assert "septets" in (instasent.Analysis.units.__doc__ or "")


def test_every_error_class_says_what_its_code_means_in_the_cores_words() -> None:
    vector = json.loads((VECTORS / "errors.json").read_text())
    classes = {
        cls.code: cls
        for cls in vars(instasent).values()
        if isinstance(cls, type) and issubclass(cls, instasent.InstasentError) and cls is not instasent.InstasentError
    }
    assert sorted(classes) == sorted(e["code"] for e in vector)
    for error in vector:
        doc = " ".join((classes[error["code"]].__doc__ or "").split())
        assert doc.startswith(error["meaning"]), (error["code"], doc)
        assert f'`code` is "{error["code"]}"' in doc
