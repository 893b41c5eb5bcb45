"""What every subcommand shares: help on every option, one-line warnings, names, shell completion."""

import argparse
import os
import shutil
import subprocess
import sys
import warnings

import pytest

from computelimits import _names
from computelimits.cli import build_parser, main, one_line_warning
from computelimits.cli.completion import bash_script, command_tree


def _parsers(parser, path=("computelimits",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, path + (name,))


def test_every_option_of_every_subcommand_has_help():
    missing = []
    for path, parser in _parsers(build_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if not (choice.help or "").strip():
                        missing.append(f"{' '.join(path)} {choice.dest}")
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{' '.join(path)} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_every_subcommand_prints_its_help(capsys):
    for path, _ in _parsers(build_parser()):
        assert main([*path[1:], "--help"]) == 0
        assert "usage: " + " ".join(path) in capsys.readouterr().out


@pytest.mark.filterwarnings("default")  # the warnings must reach the command's handler, not raise
def test_warnings_print_as_one_line_without_source(tmp_path, capsys):
    # Two compute values: many pairs resamples are singular and the bootstrap warns.
    table = tmp_path / "two_values.csv"
    table.write_text("compute_flop,error\n1e18,0.30\n1e18,0.28\n1e18,0.31\n1e20,0.20\n1e20,0.22\n1e20,0.21\n")
    assert main(["fit", "--csv", str(table), "--bootstrap", "99", "--no-plot"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err, "the degenerate bootstrap did not warn"
    for line in err:
        assert line.startswith("computelimits: warning: DegenerateDataWarning: "), line
    assert not any(".py" in line or "warnings.warn" in line for line in err)
    # The command restored the previous handler.
    assert warnings.showwarning is not one_line_warning


def test_the_installed_command_prints_one_line_warnings(tmp_path):
    table = tmp_path / "two_values.csv"
    table.write_text("compute_flop,error\n1e18,0.30\n1e18,0.28\n1e18,0.31\n1e20,0.20\n1e20,0.22\n1e20,0.21\n")
    completed = subprocess.run(
        [sys.executable, "-m", "computelimits", "fit", "--csv", str(table), "--bootstrap", "99", "--no-plot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    lines = completed.stderr.splitlines()
    assert lines and all(line.startswith("computelimits: warning: ") for line in lines)


def test_a_multiline_message_becomes_one_line():
    import io

    stream = io.StringIO()
    one_line_warning(UserWarning("first\n   second"), UserWarning, "x.py", 3, file=stream)
    assert stream.getvalue() == "computelimits: warning: UserWarning: first second\n"


@pytest.mark.parametrize(
    "given, expected",
    [("GPT2", "gpt2"), ("bert-base", "bert_base"), ("WMT2014-EN-FR", "wmt2014_en_fr"), ("Bert Base", "bert_base")],
)
def test_names_match_ignoring_case_and_separators(given, expected):
    assert _names.match_name(given, ["gpt2", "bert_base", "wmt2014_en_fr"], "name") == expected


def test_unknown_names_suggest_close_ones():
    with pytest.raises(ValueError, match=r"unknown zoo model 'resnet5'; did you mean resnet50 or resnet18\?"):
        _names.match_name("resnet5", ["alexnet", "resnet18", "resnet50"], "zoo model")
    with pytest.raises(ValueError) as error:
        _names.match_name("zzz", ["alexnet", "resnet50"], "zoo model")
    assert "did you mean" not in str(error.value) and "known: alexnet, resnet50" in str(error.value)
    with pytest.raises(TypeError, match="zoo model"):
        _names.match_name(50, ["resnet50"], "zoo model")


def test_completion_tree_has_every_subcommand():
    tree = command_tree(build_parser())
    assert set(tree[()].subcommands) >= {"reproduce", "flops", "simulate", "fit", "hardware", "datasets", "bench"}
    assert "--model" in tree[("fit",)].options and tree[("fit",)].valued["--model"] == ["polynomial", "exponential"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(
    "words, expected",
    [
        (["computelimits", "fi"], ["fit"]),
        (["computelimits", "fit", "--mo"], ["--model"]),
        (["computelimits", "fit", "--model", "p"], ["polynomial"]),
        (["computelimits", "fit", "--csv", "x.csv", "--meth"], ["--method"]),
        (["computelimits", "hardware", "l"], ["list"]),
        (["computelimits", "simulate", "d"], ["double-descent"]),
        (["computelimits", "completion", ""], ["bash", "zsh"]),
    ],
)
def test_bash_completion_completes(tmp_path, words, expected):
    script = tmp_path / "completion.bash"
    script.write_text(bash_script(build_parser()))
    quoted = " ".join(f"'{w}'" for w in words)
    probe = (
        f"source {script}\nCOMP_WORDS=({quoted})\nCOMP_CWORD={len(words) - 1}\n"
        '_computelimits\nprintf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    completed = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.split() == expected


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_parse(shell, capsys):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    assert "_computelimits" in script and "complete -o default -F _computelimits computelimits" in script
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    check = subprocess.run([shell, "-n"], input=script, capture_output=True, text=True, env=dict(os.environ))
    assert check.returncode == 0, check.stderr


def test_the_same_suggestions_for_families_and_processors():
    from computelimits import flops, hardware

    with pytest.raises(ValueError, match=r"model_type 'lama' is not supported \(did you mean llama\?\)"):
        flops.from_hf_config({"model_type": "lama", "hidden_size": 8}, seq_len=4)
    with pytest.raises(ValueError, match=r"did you mean H100"):
        hardware.get_processor("H10O")
    assert _names.close_matches("H10O", ["H100", "B200"], key=lambda n: n.lower()) == ["H100"]


def test_an_hf_config_family_typo_is_suggested_by_the_command(tmp_path, capsys):
    config = tmp_path / "config.json"
    config.write_text('{"model_type": "Lama", "hidden_size": 8}')
    assert main(["flops", str(config), "--seq-len", "4"]) == 2
    assert "did you mean llama?" in capsys.readouterr().err
