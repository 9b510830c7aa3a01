"""botu.csvfile.fast_to_csv writes the bytes of
``to_csv(path, index=False, lineterminator="\\n", encoding="utf-8")``, on botu's own tables
and on whatever else a frame can hold (what it does not handle itself goes to to_csv)."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from botu import csvfile as fastcsv
from botu.csvfile import fast_to_csv


def reference(frame: pd.DataFrame, path: Path) -> bytes:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return path.read_bytes()


@pytest.fixture
def to_csv_calls(monkeypatch):
    """The frames DataFrame.to_csv was called on (the fallback), while the test runs."""
    calls = []
    original = pd.DataFrame.to_csv

    def spy(self, *args, **kwargs):
        calls.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", spy)
    return calls


def same(frame: pd.DataFrame, tmp_path: Path, name: str = "t") -> bool:
    ref = tmp_path / f"{name}.ref.csv"
    out = tmp_path / f"{name}.out.csv"
    frame.to_csv(ref, index=False, lineterminator="\n", encoding="utf-8")
    fast_to_csv(frame, out)
    return ref.read_bytes() == out.read_bytes()


def fast_only(frame: pd.DataFrame, tmp_path: Path, name: str = "t") -> bool:
    """Bytes identical, and written without falling back to to_csv."""
    ref = tmp_path / f"{name}.ref.csv"
    out = tmp_path / f"{name}.out.csv"
    frame.to_csv(ref, index=False, lineterminator="\n", encoding="utf-8")
    original = pd.DataFrame.to_csv
    fell_back = []

    def spy(self, *args, **kwargs):
        fell_back.append(True)
        return original(self, *args, **kwargs)

    pd.DataFrame.to_csv = spy
    try:
        fast_to_csv(frame, out)
    finally:
        pd.DataFrame.to_csv = original
    assert not fell_back, "fell back to to_csv"
    return ref.read_bytes() == out.read_bytes()


# --------------------------------------------------------------------------- captured frames


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, pd.DataFrame]:
    """Every table botu computes from the demo data, as write_csv is given it."""
    from botu import config
    from botu.dataset import load_dataset
    from botu.pipeline import compute

    return compute(load_dataset(config.paths().raw)).tables


def test_every_table_of_the_demo(demo_tables, tmp_path):
    assert len(demo_tables) > 20
    for name, frame in demo_tables.items():
        assert fast_only(frame, tmp_path, name), name


# --------------------------------------------------------------------------- the quoting rules

AWKWARD = [
    "",
    " ",
    "  x  ",
    "plain",
    ",",
    "a,b",
    '"',
    '""',
    'say "hi"',
    "a\nb",
    "\n",
    "a\rb",
    "\r",
    "a\r\nb",
    "\r\n",
    "é",
    "naïve, café",
    "😀",
    "a\u2028b",
    "\u2029",
    "\x85",
    "\x00",
    "'x",
    "'=1+1",
    "=SUM(A1)",
    "+1",
    "-1",
    "@x",
    "\t",
    "\tx",
    "x\t",
    "a\\b",
    "'",
    '"quoted"',
    "trailing,",
    ",leading",
    "nan",
    "NA",
    "None",
    "True",
    "1e16",
    "0.1",
]


def test_probe_matches_this_python():
    assert fastcsv._special() is not None
    # Python 3.11 quotes , " and \n with lineterminator \n, not \r
    import csv
    import io

    for ch in "\r\n,\"\t\x00 '\u2028":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(["a" + ch, "b"])
        assert (buf.getvalue().startswith('"')) == (ch in fastcsv._special())


@pytest.mark.parametrize("dtype", [object, "string", pd.StringDtype("python"), "str"])
def test_awkward_strings(dtype, tmp_path):
    frame = pd.DataFrame({"s": pd.Series(AWKWARD, dtype=dtype), "n": range(len(AWKWARD))})
    assert fast_only(frame, tmp_path)


@pytest.mark.parametrize("dtype", [object, "string", "str", "category"])
@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
def test_single_column_empty_and_missing(dtype, missing, tmp_path):
    # csv.writer writes a row made of one empty field as ""
    values = ["", missing, "x", "", missing, ","]
    frame = pd.DataFrame({"only": pd.Series(values, dtype=dtype)})
    assert fast_only(frame, tmp_path)
    frame = pd.DataFrame({"": pd.Series(values, dtype=dtype)})  # empty label too
    assert fast_only(frame, tmp_path)


def test_single_numeric_column_with_missing(tmp_path):
    for series in [
        pd.Series([1, None, 3], dtype="Int64"),
        pd.Series([1.5, np.nan], dtype="float64"),
        pd.Series([True, None], dtype="boolean"),
        pd.Series([0.5, None], dtype="Float64"),
    ]:
        assert fast_only(series.to_frame("v"), tmp_path)


@pytest.mark.parametrize(
    "labels",
    [
        ["a,b", 'say "hi"', "line\nbreak", "cr\rhere"],
        ["", " ", "é😀", "'=x"],
        [1, 2, 3, 4],
        [1.5, -0.0, np.nan, 1e16],
        [(1, 2), "t", None, True],
        ["dup", "dup", "x", "dup"],
        pd.to_datetime(
            ["2020-01-01", "2020-01-02", "2021-05-05", "2020-01-01 10:00"], format="ISO8601"
        ),
        pd.Index(["a", "b", "c", "d"], dtype="string"),
        pd.CategoricalIndex(["a", "b", "c", "d"]),
    ],
    ids=lambda labels: repr(list(labels))[:40],
)
def test_header_labels(labels, tmp_path):
    frame = pd.DataFrame([[1, "x,y", 2.5, True], [2, None, np.nan, False]])
    frame.columns = labels
    assert fast_only(frame, tmp_path)


def test_zero_rows(tmp_path):
    frame = pd.DataFrame(
        {
            "a": pd.Series([], dtype="int64"),
            "b,c": pd.Series([], dtype="string"),
            "d": pd.Series([], dtype="Int64"),
            "e": pd.Series([], dtype=object),
        }
    )
    assert fast_only(frame, tmp_path)
    assert fast_only(pd.DataFrame({"": pd.Series([], dtype=object)}), tmp_path)


def test_zero_columns(tmp_path, to_csv_calls):
    for frame in [pd.DataFrame(), pd.DataFrame(index=range(3))]:
        assert same(frame, tmp_path)


def test_numbers(tmp_path):
    frame = pd.DataFrame(
        {
            "f": [np.nan, np.inf, -np.inf, -0.0, 1e-7, 1e16, 0.1 + 0.2, 123456789.125, 5e-324],
            "f32": np.array(
                [np.nan, np.inf, -np.inf, -0.0, 1e-7, 1e16, 0.1, 3.3, 0.0], dtype="float32"
            ),
            "i": [0, -1, 2**63 - 1, -(2**63), 7, 8, 9, 10, 11],
            "u": np.array([0, 2**64 - 1, 2**63, 1, 2, 3, 4, 5, 6], dtype="uint64"),
            "i8": np.array([-128, 127, 0, 1, 2, 3, 4, 5, 6], dtype="int8"),
            "I": pd.array([None, 2**63 - 1, -(2**63), 0, None, 1, 2, 3, 4], dtype="Int64"),
            "U8": pd.array([None, 255, 0, 1, 2, 3, 4, 5, 6], dtype="UInt8"),
            "F": pd.array(
                [None, 0.1 + 0.2, -0.0, 1e16, 1e-7, np.inf, -np.inf, 2.5, None], dtype="Float64"
            ),
            "b": [True, False] * 4 + [True],
            "B": pd.array([True, None, False] * 3, dtype="boolean"),
        }
    )
    assert fast_only(frame, tmp_path)


@pytest.mark.parametrize(
    "dtype",
    [
        "int8",
        "int16",
        "int32",
        "uint8",
        "uint16",
        "Int8",
        "Int16",
        "UInt8",
        "UInt16",
        "int64",
        "uint64",
    ],
)
def test_small_int_types(dtype, tmp_path):
    # an integer lookup must not wrap in the column's own width (127 - -100 in int8)
    info = np.iinfo(
        pd.api.types.pandas_dtype(dtype).numpy_dtype if dtype[0] in "IU" else np.dtype(dtype)
    )
    for values in [
        [info.min, info.max],
        [-100, 100, 0],
        [info.max - 3, info.max, info.max - 1],
        [0, 1, 2],
    ]:
        values = [v for v in values if info.min <= v <= info.max]
        frame = pd.DataFrame({"v": pd.Series(values, dtype=dtype), "w": values})
        assert fast_only(frame, tmp_path), values


def test_surrogates_fail_alike(tmp_path):
    frame = pd.DataFrame({"s": ["ok", "bad \ud800"]})
    with pytest.raises(UnicodeEncodeError):
        frame.to_csv(tmp_path / "ref.csv", index=False, lineterminator="\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        fast_to_csv(frame, tmp_path / "out.csv")


def test_missing_folder_fails_alike(tmp_path):
    frame = pd.DataFrame({"s": ["ok"]})
    with pytest.raises(OSError) as expected:
        frame.to_csv(tmp_path / "no" / "ref.csv", index=False, lineterminator="\n")
    with pytest.raises(OSError) as got:
        fast_to_csv(frame, tmp_path / "no" / "out.csv")
    assert str(got.value).replace("out.csv", "ref.csv") == str(expected.value)


def test_masked_garbage(tmp_path):
    # the data under a missing mark may be anything: it must not show, nor break the lookup
    data = np.array([np.iinfo(np.int64).min, 5, np.iinfo(np.int64).max, 6], dtype=np.int64)
    mask = np.array([True, False, True, False])
    frame = pd.DataFrame(
        {
            "I": pd.arrays.IntegerArray(data, mask),
            "U": pd.arrays.IntegerArray(np.array([2**64 - 1, 1, 2**63, 2], dtype=np.uint64), mask),
            "B": pd.arrays.BooleanArray(np.array([True, True, False, False]), mask),
        }
    )
    assert fast_only(frame, tmp_path)


def test_object_mixtures(tmp_path):
    values = [
        "x",
        None,
        np.nan,
        pd.NA,
        pd.NaT,
        1,
        -2,
        2**70,
        1.5,
        1e16,
        0.1 + 0.2,
        -0.0,
        True,
        np.int64(3),
        np.float32(0.1),
        np.float64(1e-7),
        np.str_("np,str"),
        np.bool_(False),
        decimal.Decimal("1.10"),
        dt.date(2020, 1, 2),
        dt.datetime(2020, 1, 2, 3, 4, 5),
        pd.Timestamp("2021-01-01"),
        (1, "a"),
        ["l", 2],
        {"k": "v,w"},
        b"bytes",
        1 + 2j,
        float("inf"),
        'q"uote',
    ]
    frame = pd.DataFrame({"o": pd.Series(values, dtype=object), "n": range(len(values))})
    assert fast_only(frame, tmp_path)
    assert fast_only(frame[["o"]], tmp_path)


def test_categories(tmp_path):
    frame = pd.DataFrame(
        {
            "s": pd.Categorical(["a,b", None, "c", 'd"', "a,b", ""]),
            "i": pd.Categorical([1, 2, None, 2, 1, 3]),
            "f": pd.Categorical([0.1, np.nan, 0.1 + 0.2, 1e16, -0.0, 2.0]),
            "str": pd.Series(["x", None, "y", "x", "\n", "z"], dtype="str").astype("category"),
            "b": pd.Categorical([True, False, None, True, True, False]),
        }
    )
    assert fast_only(frame, tmp_path)


def test_str_subclass(tmp_path):
    class Weird(str):
        def __str__(self):
            return "WRONG"

        def replace(self, *args):
            return "WRONG"

    frame = pd.DataFrame(
        {"o": pd.Series([Weird("a,b"), Weird("c"), "d"], dtype=object), "x": [1, 2, 3]}
    )
    assert fast_only(frame, tmp_path)
    frame = pd.DataFrame({"o": pd.Series([Weird("a,b"), None, 1], dtype=object)})
    assert fast_only(frame, tmp_path)


def test_chunks(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    n = 1000
    frame = pd.DataFrame(
        {
            "s": pd.Series(rng.choice([*AWKWARD, None], n), dtype="string"),
            "i": pd.array(
                np.where(rng.random(n) < 0.2, None, rng.integers(-5, 5, n)), dtype="Int64"
            ),
            "t": pd.Series(rng.choice(AWKWARD, n), dtype="str"),
        }
    )
    for cells in [1, 2, 3, 7, 100, 2999, 3000, 3001, 10**6]:
        monkeypatch.setattr(fastcsv, "CHUNK_CELLS", cells)
        assert fast_only(frame, tmp_path), cells
        assert fast_only(frame[["s"]], tmp_path), cells


def test_path_kinds(tmp_path, to_csv_calls):
    frame = pd.DataFrame({"a": ["x,y", "z"], "b": [1, 2]})
    ref = reference(frame, tmp_path / "ref.csv")
    to_csv_calls.clear()
    fast_to_csv(frame, str(tmp_path / "s.csv"))
    fast_to_csv(frame, tmp_path / "p.csv")
    assert not to_csv_calls
    assert (tmp_path / "s.csv").read_bytes() == ref == (tmp_path / "p.csv").read_bytes()
    # an existing, longer file is replaced whole
    (tmp_path / "old.csv").write_bytes(b"x" * 10_000)
    fast_to_csv(frame, tmp_path / "old.csv")
    assert (tmp_path / "old.csv").read_bytes() == ref
    # compression by extension: to_csv's business
    fast_to_csv(frame, tmp_path / "c.csv.gz")
    assert len(to_csv_calls) == 1
    assert pd.read_csv(tmp_path / "c.csv.gz").equals(pd.read_csv(tmp_path / "ref.csv"))


# --------------------------------------------------------------------------- fallbacks


@pytest.mark.parametrize(
    "column",
    [
        pd.to_datetime(["2020-01-01", None, "2020-01-03 10:00"], format="ISO8601"),
        pd.to_datetime(["2020-01-01", "2020-01-02", None]),  # dates only: formatted per chunk
        pd.to_datetime(["2020-01-01", None, "2020-01-03"]).tz_localize("Europe/Amsterdam"),
        pd.to_timedelta(["1D", None, "2h"]),
        pd.period_range("2020-01", periods=3, freq="M"),
        np.array([1 + 2j, 0, -1j]),
        pd.arrays.IntervalArray.from_breaks([0, 1, 2, 3]),
        pd.Categorical(pd.to_datetime(["2020-01-01", None, "2020-01-01"])),
        pd.arrays.SparseArray([0.0, np.nan, 1.5]),
    ],
    ids=[
        "datetime",
        "dates",
        "datetime-tz",
        "timedelta",
        "period",
        "complex",
        "interval",
        "category-datetime",
        "sparse",
    ],
)
def test_fallback(column, tmp_path, to_csv_calls):
    frame = pd.DataFrame({"when": column, "s": ["a,b", None, "c"], "n": [1, 2, 3]})
    ref = tmp_path / "ref.csv"
    frame.to_csv(ref, index=False, lineterminator="\n", encoding="utf-8")
    to_csv_calls.clear()
    fast_to_csv(frame, tmp_path / "out.csv")
    assert len(to_csv_calls) == 1  # the fallback path was taken
    assert (tmp_path / "out.csv").read_bytes() == ref.read_bytes()


def test_fallback_multiindex_columns(tmp_path, to_csv_calls):
    frame = pd.DataFrame([[1, "x"]], columns=pd.MultiIndex.from_tuples([("a", "b"), ("a", "c")]))
    assert same(frame, tmp_path)
    assert len(to_csv_calls) == 2


def test_datetime_chunk_dependence_is_left_to_to_csv(tmp_path, monkeypatch, to_csv_calls):
    # to_csv formats datetimes per chunk (dates-only chunks lose their 00:00:00): fall back
    stamps = pd.to_datetime(["2020-01-01"] * 150_000 + ["2020-01-02 10:00"], format="ISO8601")
    frame = pd.DataFrame({"t": stamps})
    assert same(frame, tmp_path)
    assert len(to_csv_calls) == 2


# --------------------------------------------------------------------------- property test


TEXT_ALPHABET = [*list("ab ,\"\n\r'=+-@\té😀\u2028\x00\\"), "\r\n", "xyz"]


def random_text(rng: np.random.Generator) -> str:
    if rng.random() < 0.4:
        return AWKWARD[rng.integers(len(AWKWARD))]
    return "".join(rng.choice(TEXT_ALPHABET, rng.integers(0, 6)))


def random_floats(rng, n):
    special = np.array(
        [
            np.nan,
            np.inf,
            -np.inf,
            -0.0,
            0.0,
            1e-7,
            1e16,
            0.1 + 0.2,
            5e-324,
            1.7976931348623157e308,
            123.456,
            -1.5,
        ]
    )
    values = rng.standard_normal(n) * 10.0 ** rng.integers(-10, 20, n)
    pick = rng.random(n) < 0.5
    values[pick] = rng.choice(special, pick.sum())
    return values


def random_ints(rng, n):
    kind = rng.integers(3)
    if kind == 0:
        return rng.integers(-3, 4, n)
    if kind == 1:
        return rng.integers(-(2**62), 2**62, n)
    return rng.choice(np.array([-(2**63), 2**63 - 1, 0, -1, 70_000, -70_000]), n)


def random_column(rng: np.random.Generator, n: int):
    missing = rng.random(n) < rng.choice([0.0, 0.3, 1.0], p=[0.4, 0.5, 0.1])
    kind = rng.choice(
        [
            "int64",
            "uint8",
            "int8",
            "Int16",
            "Int64",
            "UInt64",
            "float64",
            "float32",
            "Float64",
            "bool",
            "boolean",
            "object-str",
            "object-mixed",
            "string",
            "string-python",
            "str",
            "category-str",
            "category-int",
            "category-str-dtype",
        ]
    )
    texts = [random_text(rng) for _ in range(n)]
    if kind == "int64":
        return kind, random_ints(rng, n)
    if kind == "int8":
        return kind, rng.integers(-128, 128, n).astype(np.int8)
    if kind == "Int16":
        low = int(rng.integers(-(2**15), 2**15))
        high = int(rng.integers(low, 2**15)) + 1
        return kind, pd.arrays.IntegerArray(rng.integers(low, high, n).astype(np.int16), missing)
    if kind == "uint8":
        return kind, rng.integers(0, 256, n).astype(np.uint8)
    if kind == "Int64":
        return kind, pd.arrays.IntegerArray(random_ints(rng, n).astype(np.int64), missing)
    if kind == "UInt64":
        return kind, pd.arrays.IntegerArray(
            rng.integers(0, 2**63, n).astype(np.uint64) * 2, missing
        )
    if kind == "float64":
        return kind, random_floats(rng, n)
    if kind == "float32":
        with np.errstate(over="ignore"):  # the large ones become inf, as they would anyway
            return kind, random_floats(rng, n).astype(np.float32)
    if kind == "Float64":
        return kind, pd.arrays.FloatingArray(random_floats(rng, n), missing)
    if kind == "bool":
        return kind, rng.random(n) < 0.5
    if kind == "boolean":
        return kind, pd.arrays.BooleanArray(rng.random(n) < 0.5, missing)
    missing_values = [None, np.nan, pd.NA]
    if kind == "object-str":
        values = [
            missing_values[rng.integers(3)] if m else t
            for m, t in zip(missing, texts, strict=False)
        ]
        return kind, pd.Series(values, dtype=object)
    if kind == "object-mixed":
        pool = [
            1,
            -7,
            2**65,
            0.1 + 0.2,
            1e16,
            -0.0,
            np.nan,
            None,
            pd.NA,
            True,
            False,
            np.int64(5),
            np.float64(1e-7),
            1.5,
        ]
        values = [pool[rng.integers(len(pool))] if rng.random() < 0.5 else t for t in texts]
        return kind, pd.Series(values, dtype=object)
    values = [None if m else t for m, t in zip(missing, texts, strict=False)]
    if kind == "string":
        return kind, pd.Series(values, dtype="string")
    if kind == "string-python":
        return kind, pd.Series(values, dtype=pd.StringDtype("python"))
    if kind == "str":
        return kind, pd.Series(values, dtype="str")
    if kind == "category-str":
        return kind, pd.Series(values, dtype="category")
    if kind == "category-str-dtype":
        return kind, pd.Series(values, dtype="str").astype("category")
    if kind == "category-int":
        ints = rng.integers(-3, 3, n).astype(object)
        ints[missing] = None
        return kind, pd.Series(ints).astype("category")
    raise AssertionError(kind)


@pytest.mark.parametrize("seed", range(300))
def test_random_frames(seed, tmp_path, monkeypatch):
    rng = np.random.default_rng(seed)
    n = int(rng.choice([0, 1, 2, 5, 40]))
    k = int(rng.choice([1, 1, 2, 3, 6]))
    columns = [random_column(rng, n) for _ in range(k)]
    frame = pd.DataFrame(
        {j: pd.Series(values).reset_index(drop=True) for j, (_, values) in enumerate(columns)}
    )
    labels = [
        random_text(rng) if rng.random() < 0.8 else int(rng.integers(-5, 5)) for _ in range(k)
    ]
    frame.columns = labels
    assert frame.shape == (n, k)
    monkeypatch.setattr(fastcsv, "CHUNK_CELLS", int(rng.choice([1, 3, 10, 1_000_000])))
    assert fast_only(frame, tmp_path), [kind for kind, _ in columns]


def test_a_later_chunk_it_cannot_write_goes_to_to_csv_whole(tmp_path, monkeypatch):
    frame = pd.DataFrame({"s": [f"x{i}," for i in range(100)], "n": range(100)})
    monkeypatch.setattr(fastcsv, "CHUNK_CELLS", 20)  # ten rows a chunk
    calls = []
    generic = fastcsv._generic_text

    def surprised(values):
        calls.append(len(values))
        if len(calls) == 3:  # the third chunk, the file already begun
            raise fastcsv._UnhandledError
        return generic(values)

    monkeypatch.setitem(fastcsv._CONVERT, fastcsv._GENERIC, surprised)
    assert same(frame, tmp_path)
    assert len(calls) == 3
