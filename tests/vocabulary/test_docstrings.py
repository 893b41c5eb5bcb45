"""Public functions carry numpydoc Parameters / Returns / Examples sections (the examples run as
doctests: pytest collects python/computelimits with --doctest-modules)."""

import importlib
import inspect
import re

import pytest

# Modules whose public functions (``__all__``, or every public name) must be documented this way.
MODULES = (
    "computelimits.flops",
    "computelimits.flops.zoo",
    "computelimits.flops.frontends",
    "computelimits.hardware",
    "computelimits.datasets",
    "computelimits.fit",
    "computelimits.simulate",
    "computelimits.simulate.closed_forms",
    "computelimits.simulate.estimators",
    "computelimits.simulate.iterative",
    "computelimits.runner",
    "computelimits.report",
    "computelimits.status",
)


def _public_functions():
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        names = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
        for name in names:
            value = getattr(module, name)
            if inspect.isfunction(value):
                yield f"{module_name}.{name}", value


def _section(doc: str, title: str):
    """The lines of a numpydoc section, or None when it is missing."""
    match = re.search(rf"^{title}\n-{{{len(title)}}}\n(.*?)(?=^\w[\w ]*\n-+\n|\Z)", doc, re.MULTILINE | re.DOTALL)
    return None if match is None else match.group(1)


FUNCTIONS = dict(_public_functions())


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_numpydoc_sections(name):
    function = FUNCTIONS[name]
    doc = inspect.getdoc(function) or ""
    summary = doc.split("\n", 1)[0]
    assert summary and not summary.startswith(("Parameters", "Returns")), f"{name}: no summary line"
    parameters = [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    listed = _section(doc, "Parameters")
    if parameters:
        assert listed is not None, f"{name}: no Parameters section"
        documented = {
            word.strip()
            for line in listed.splitlines()
            if re.match(r"^\w", line)
            for word in line.split(":")[0].split(",")
        }
        assert set(parameters) <= documented, f"{name}: undocumented parameters {set(parameters) - documented}"
    assert _section(doc, "Returns") is not None, f"{name}: no Returns section"
    examples = _section(doc, "Examples")
    assert examples is not None and ">>> " in examples, f"{name}: no Examples section with a doctest"


def test_the_package_is_collected_for_doctests(pytestconfig):
    options = pytestconfig.getini("addopts")
    assert "--doctest-modules" in options
    assert "python/computelimits" in pytestconfig.getini("testpaths")
    assert {"NUMBER", "ELLIPSIS", "NORMALIZE_WHITESPACE"} <= set(pytestconfig.getini("doctest_optionflags"))


def test_documented_lookups_refuse_unknown_names():
    from computelimits.flops import frontends
    from computelimits.status import describe

    with pytest.raises(ValueError, match=r"model_type='nope' is not supported; supported: .*'llama'"):
        frontends.architectures("nope")
    with pytest.raises(ValueError, match=r"status must be one of .*'wrong sign'.*, got 'nope'"):
        describe("nope")
