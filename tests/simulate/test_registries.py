"""One registry per concept: the design covariance kinds are declared once in Python and once in
C++, and cross the binding as an enum, not as magic integers."""

import pytest

from computelimits import _core
from computelimits.simulate import make_design
from computelimits.simulate._common import COVARIANCES, covariance_code


def test_covariance_registries_agree():
    assert list(_core.simulate.Covariance.__members__) == list(COVARIANCES)
    for name in COVARIANCES:
        member, _ = covariance_code(name, 0.0)
        assert member is getattr(_core.simulate.Covariance, name)


def test_the_binding_takes_the_enum_not_an_integer():
    with pytest.raises(TypeError):
        _core.simulate.draw_design(4, 2, 1, 2, 0.5, 1.0, 1.0, 1, 0)
    X, *_ = _core.simulate.draw_design(4, 2, 1, _core.simulate.Covariance.ar1, 0.5, 1.0, 1.0, 1, 0)
    assert X.tobytes() == make_design(4, 2, k=1, covariance="ar1", rho=0.5, seed=1).X.tobytes()
