from translator.errors import (EngineError, ExitCode, InputError, LanguageError, NoRouteError,
                               OutputError, TranslatorError, UsageError)


def test_exit_codes_are_pinned():
    # Documented in the README; scripts depend on them.  Change only with a major version.
    assert {c.name: c.value for c in ExitCode} == {
        "OK": 0, "FAILURE": 1, "USAGE": 2, "INPUT": 3, "LANGUAGE": 4,
        "NO_ROUTE": 5, "ENGINE": 6, "OUTPUT": 7, "GLOSSARY": 8, "CONFIG": 9,
    }


def test_each_error_maps_to_its_code():
    assert InputError("x").exit_code == ExitCode.INPUT
    assert LanguageError("x").exit_code == ExitCode.LANGUAGE
    assert NoRouteError("x").exit_code == ExitCode.NO_ROUTE
    assert EngineError("x").exit_code == ExitCode.ENGINE
    assert OutputError("x").exit_code == ExitCode.OUTPUT
    assert UsageError("x").exit_code == ExitCode.USAGE
    assert all(issubclass(c, TranslatorError) for c in (InputError, LanguageError, NoRouteError))


def test_message_names_the_file_first():
    assert str(InputError("empty file", path="a.txt")) == "a.txt: empty file"
