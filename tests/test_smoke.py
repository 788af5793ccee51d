"""The shipped frameworks check clean: the README's quick start in one test."""

from click.testing import CliRunner

from precepts.cli import main


def test_shipped_frameworks_check_clean() -> None:
    result = CliRunner().invoke(main, ["check", "frameworks"])
    assert result.exit_code == 0, result.output
    assert "(4 waived)" in result.output
