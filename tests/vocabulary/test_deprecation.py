"""The helpers behind every deprecated name: old keywords, old attributes, an array that became a method."""

import dataclasses
import inspect
import pickle

import numpy as np
import pytest

from computelimits._deprecation import array_method, renamed_attribute, renamed_keywords


@renamed_keywords(confidence="confidence_level")
def _interval(value, confidence_level=0.95):
    """Toy function with a renamed keyword."""
    return value, confidence_level


@dataclasses.dataclass(frozen=True)
class _Result:
    settings: dict
    matrix_array: np.ndarray

    params = renamed_attribute("settings")

    @array_method("matrix_array")
    def matrix(self, column=None):
        return self.matrix_array if column is None else self.matrix_array[column, column]


def test_renamed_keyword_maps_warns_and_refuses_both():
    assert _interval(1, confidence_level=0.9) == (1, 0.9)
    with pytest.warns(
        DeprecationWarning, match="_interval\\(\\) keyword 'confidence' is deprecated: use 'confidence_level'"
    ):
        assert _interval(1, confidence=0.8) == (1, 0.8)
    with pytest.raises(TypeError, match="got both 'confidence_level' and its deprecated name 'confidence'"):
        _interval(1, confidence=0.8, confidence_level=0.9)
    assert list(inspect.signature(_interval).parameters) == ["value", "confidence_level"]
    assert _interval.__doc__ == "Toy function with a renamed keyword."


def test_renamed_attribute_returns_the_new_one_and_warns():
    result = _Result({"p": 3}, np.eye(2))
    with pytest.warns(DeprecationWarning, match="_Result attribute 'params' is deprecated: use 'settings'"):
        assert result.params is result.settings
    assert "params" not in [f.name for f in dataclasses.fields(result)]


def test_array_method_is_called_or_used_as_the_array(recwarn):
    result = _Result({}, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert result.matrix(column=1) == 4.0 and result.matrix() is result.matrix_array
    assert not recwarn.list
    with pytest.warns(DeprecationWarning, match=r"_Result.matrix is a method.*call _Result.matrix\(\)"):
        assert result.matrix[1, 0] == 3.0
    with pytest.warns(DeprecationWarning):
        np.testing.assert_array_equal(result.matrix + 1, result.matrix_array + 1)
    with pytest.warns(DeprecationWarning):
        np.testing.assert_array_equal(np.asarray(result.matrix, dtype=np.float32), result.matrix_array)
    with pytest.warns(DeprecationWarning):
        assert [list(row) for row in result.matrix] == [[1.0, 2.0], [3.0, 4.0]]
    assert "call it for the array" in repr(result.matrix)
    with pytest.raises(AttributeError):
        result.matrix.__no_such_dunder__  # noqa: B018
    assert pickle.loads(pickle.dumps(result)).matrix().tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_prediction_band_level_is_confidence_level():
    from computelimits import fit
    from computelimits.fit import plots

    rng = np.random.default_rng(4)
    log10_compute = np.arange(18.0, 24.0)
    result = fit.fit_compute_error(10**log10_compute, 10 ** (0.8 - 0.05 * log10_compute))
    draws = np.column_stack([rng.normal(0.8, 0.05, 400), rng.normal(-0.05, 0.002, 400)])
    grid = np.array([19.0, 22.0])
    low, high = plots.prediction_band(result, draws, grid, confidence_level=0.8)
    predicted = 10.0 ** (draws[:, [0]] + draws[:, [1]] * grid)  # the percentile band, computed directly
    np.testing.assert_allclose(low, np.quantile(predicted, 0.1, axis=0), rtol=1e-14)
    np.testing.assert_allclose(high, np.quantile(predicted, 0.9, axis=0), rtol=1e-14)
    with pytest.warns(DeprecationWarning, match=r"keyword 'level' is deprecated: use 'confidence_level'"):
        old_low, old_high = plots.prediction_band(result, draws, grid, level=0.8)
    np.testing.assert_array_equal(old_low, low)
    np.testing.assert_array_equal(old_high, high)
