"""The command line: clear messages, exit status 2, no traceback, nothing half-written."""

import subprocess
import sys

import pytest

from botu.cli import main
from tests.conftest import REPO, TINY_TABLES, write_project


def run(*args, env_root=None):
    import os

    env = {**os.environ, "MPLBACKEND": "Agg"}
    if env_root is not None:
        env["BOTU_ROOT"] = str(env_root)
    return subprocess.run(
        [sys.executable, "-m", "botu", *args], capture_output=True, text=True, cwd=REPO, env=env
    )


def test_validate_valid_project(tmp_path, capsys):
    write_project(tmp_path)
    assert main(["--root", str(tmp_path), "validate"]) == 0
    out = capsys.readouterr().out
    assert "valid (FICTIONAL demo data) — 2 teams" in out


def test_validate_bad_input_exits_2_without_traceback(tmp_path):
    bad = TINY_TABLES["codings"].replace("S001,hb_kennis", "S001,hb_onbekend")
    write_project(tmp_path, {"codings": bad})
    result = run("validate", env_root=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "codings.csv, row 2, column 'code_id': unknown code 'hb_onbekend'" in result.stderr


def test_malformed_csv_exits_2(tmp_path):
    write_project(tmp_path, {"teams": "team_id,name\nT01,a,b\n"})
    result = run("validate", env_root=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "teams.csv, row 2: has 3 fields, the header has 2" in result.stderr


def test_build_with_bad_input_writes_nothing(tmp_path):
    raw = write_project(tmp_path, {"teams": TINY_TABLES["teams"].replace("gevestigd", "oud")})
    before = {p: p.read_bytes() for p in raw.iterdir()}
    assert main(["--root", str(tmp_path), "build"]) == 2
    assert not (tmp_path / "data" / "processed").exists()
    assert {p: p.read_bytes() for p in raw.iterdir()} == before  # raw is read-only


def test_build_replaces_processed_only_when_complete(tmp_path):
    write_project(tmp_path)
    assert main(["--root", str(tmp_path), "build"]) == 0
    processed = tmp_path / "data" / "processed"
    first = {p.name: p.read_bytes() for p in processed.iterdir() if p.suffix != ".xlsx"}
    assert {"summary.json", "factor_profiles.csv", "botu-processed.xlsx"} <= {
        p.name for p in processed.iterdir()
    }
    # break the input: the previous tables stay as they were, no staging folder is left
    (tmp_path / "data" / "raw" / "ratings.csv").write_text("team_id\n", encoding="utf-8")
    assert main(["--root", str(tmp_path), "build"]) == 2
    again = {p.name: p.read_bytes() for p in processed.iterdir() if p.suffix != ".xlsx"}
    assert again == first
    assert [p.name for p in (tmp_path / "data").iterdir()] in (
        ["processed", "raw"],
        ["raw", "processed"],
    )


def test_build_is_reproducible_and_reused_when_nothing_changed(tmp_path, capsys):
    write_project(tmp_path)
    processed = tmp_path / "data" / "processed"
    main(["--root", str(tmp_path), "build"])
    first = {p.name: p.read_bytes() for p in processed.iterdir() if p.suffix != ".xlsx"}
    main(["--root", str(tmp_path), "build"])
    assert "up to date:" in capsys.readouterr().out  # raw and code unchanged: reused
    main(["--root", str(tmp_path), "build", "--force"])
    second = {p.name: p.read_bytes() for p in processed.iterdir() if p.suffix != ".xlsx"}
    assert first == second


@pytest.mark.parametrize("argv", [["nonsense"], []])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


@pytest.mark.parametrize("target", ["{tmp}", "/proc/no/such/dir/x.qdc"])
def test_export_to_an_unwritable_target_exits_2(tmp_path, capsys, target):
    assert main(["export-codebook", "--to", target.format(tmp=tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and ("is a folder" in err or "cannot be written" in err)


def test_missing_raw_folder_exits_2(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "build"]) == 2
    assert "raw data folder does not exist" in capsys.readouterr().err


def test_ids_that_would_escape_output_folders_are_refused(tmp_path):
    from tests.conftest import TINY_TABLES

    bad = {n: t.replace("T02", "T02/../../x") for n, t in TINY_TABLES.items()}
    write_project(tmp_path, bad)
    assert main(["--root", str(tmp_path), "build"]) == 2
    assert not (tmp_path / "data" / "processed").exists()


def test_sigterm_ends_a_command_like_ctrl_c(tmp_path, monkeypatch, capsys):
    import os
    import signal

    from botu import cli

    def killed(args):
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill` or a CI timeout would
        raise AssertionError("not reached: SIGTERM interrupts here")

    monkeypatch.setattr(cli, "_cmd_validate", killed)
    before = signal.getsignal(signal.SIGTERM)
    assert main(["--root", str(tmp_path), "validate"]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGTERM) is before  # handler restored


def test_one_build_per_study_at_a_time(tmp_path, capsys):
    """A second build of a study says that one is running, and stops when told not to wait
    (issue 9, part 3)."""
    from botu.io import study_lock

    write_project(tmp_path)
    with study_lock(tmp_path):
        assert main(["--root", str(tmp_path), "build", "--no-wait"]) == 2
    err = capsys.readouterr().err
    assert "a build of this study is running (process" in err and "try again" in err
    assert not (tmp_path / "data" / "processed").exists()
    assert main(["--root", str(tmp_path), "build", "--no-wait"]) == 0  # released


def test_a_second_build_waits_for_the_first(tmp_path):
    """The holder keeps the lock until the second build says it waits: no race on time."""
    import os

    write_project(tmp_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from botu.io import study_lock\n"
            f"with study_lock({str(tmp_path)!r}):\n"
            "    print('held', flush=True); sys.stdin.readline()",
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    env = {**os.environ, "MPLBACKEND": "Agg", "BOTU_ROOT": str(tmp_path)}
    second = subprocess.Popen(
        [sys.executable, "-m", "botu", "build"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = second.stderr.readline()
    assert "a build of this study is running" in said and "waiting for it to finish" in said
    holder.communicate("release\n", timeout=30)
    assert second.wait(timeout=120) == 0, second.stderr.read()
    assert (tmp_path / "data" / "processed" / "summary.json").exists()
