"""The deployment files, checked without Docker or Kubernetes (`make deploy-lint`).

Neither can run on the development machine (docs/deploy.md, "Not run here"), so the
files are linted (hadolint, yamllint), the compose file is validated by docker-compose
1.29 (`config`, no daemon needed), the Helm values against our schema and the chart's
key paths, the entry point script is run with a stand-in `rasa`, and every setting is
checked to appear where an operator looks for it. Files that arrive with other
branches (endpoints.prod.yml, stores/, deploy/nginx/) are checked when present; a
warning names each one that is not.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set, Tuple

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DOCKER = DEPLOY / "docker"
HELM = DEPLOY / "helm"
BIN = Path(sys.executable).parent
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCS = ROOT / "docs" / "deploy.md"

# Files another branch adds (the production issue's `store` and `load` sessions).
LATER = {
    "endpoints.prod.yml": "the store branch",
    "stores/": "the store branch",
    "deploy/nginx/clinic.conf": "the load branch",
}
# The shared contract's variables (docs/deploy.md); some are not read anywhere yet.
CONTRACT = {
    "RASA_ENDPOINTS",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_USER",
    "DB_PASSWORD",
    "REDIS_HOST",
    "REDIS_PORT",
    "REDIS_PASSWORD",
    "ACTION_SERVER_URL",
    "ACTION_SERVER_TOKEN",
    "BOOKING_OUTBOX_URL",
    "WECHAT_REDIS_URL",
    "GUARD_REDIS_URL",
    "SANIC_PROXIES_COUNT",
    "RASA_AUTH_TOKEN",
}
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SETTING = re.compile(r"\b(?:BOOKING|GUARD|WECHAT)_[A-Z0-9_]*[A-Z0-9]\b")


def run(command: List[str], **options: Any) -> subprocess.CompletedProcess:
    """Runs one of the project's tools on its own files; the output is kept."""
    return subprocess.run(  # noqa: S603 - our own tools and files
        command, capture_output=True, text=True, check=False, **options
    )


def later(path: str) -> bool:
    """True (and a warning) when a file another branch brings is not here yet."""
    if (ROOT / path).exists():
        return False
    warnings.warn(
        f"not checked: {path} is absent (it arrives with {LATER[path]})", stacklevel=2
    )
    return True


def env_references(path: Path) -> Set[str]:
    """The ${NAME}s a YAML file uses outside comments."""
    lines = path.read_text().splitlines()
    code = [line.split(" #")[0] for line in lines if not line.lstrip().startswith("#")]
    return set(ENV_REFERENCE.findall("\n".join(code)))


def endpoint_files() -> List[Path]:
    """endpoints.yml, and endpoints.prod.yml once it is here."""
    files = [ROOT / "endpoints.yml"]
    if not later("endpoints.prod.yml"):
        files.append(ROOT / "endpoints.prod.yml")
    return files


def env_example() -> Dict[str, str]:
    """deploy/.env.example as NAME -> value."""
    pairs = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


# --- Dockerfiles -----------------------------------------------------------------


def instructions(dockerfile: Path) -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    pairs = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            pairs.append((keyword.upper(), rest.strip()))
    return pairs


@pytest.mark.parametrize("name", ["rasa.Dockerfile", "actions.Dockerfile"])
def test_hadolint_finds_nothing(name: str) -> None:
    hadolint = [str(BIN / "hadolint"), "--no-color", "--failure-threshold", "info"]
    result = run([*hadolint, str(DOCKER / name)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""
    # A rule may only be switched off with the reason on the line above.
    lines = (DOCKER / name).read_text().splitlines()
    for number, line in enumerate(lines):
        if "hadolint ignore=" in line:
            above = lines[number - 1].strip() if number else ""
            assert above.startswith("#") and "hadolint" not in above, (
                f"{name}:{number + 1}: say why the rule is ignored on the line above"
            )


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("rasa.Dockerfile", "rasa/rasa:3.6.21"),
        ("actions.Dockerfile", "rasa/rasa-sdk:3.6.2"),
    ],
)
def test_images_build_on_the_official_ones_and_run_unprivileged(
    name: str, base: str
) -> None:
    steps = instructions(DOCKER / name)
    bases = [args.split()[0] for keyword, args in steps if keyword == "FROM"]
    assert bases[-1] == base
    users = [args for keyword, args in steps if keyword == "USER"]
    assert users[-1] == "1001", "the server must not run as root"
    assert any(keyword == "HEALTHCHECK" for keyword, _ in steps)


def copied_sources(name: str) -> List[str]:
    """What a Dockerfile COPYs from the build context (the repository root)."""
    sources = []
    for keyword, args in instructions(DOCKER / name):
        if keyword == "COPY" and "--from=" not in args:
            parts = [p for p in args.split() if not p.startswith("--")]
            sources.extend(parts[:-1])
    return sources


# Copied into an image but made by a make target, not kept in git (a fresh clone has
# no model until `make train`, which the image build follows).
BUILT = {"models/clinic.tar.gz": "$(MODEL)"}


@pytest.mark.parametrize("name", ["rasa.Dockerfile", "actions.Dockerfile"])
def test_every_copied_file_is_in_the_repository(name: str) -> None:
    makefile = (ROOT / "Makefile").read_text()
    for source in copied_sources(name):
        if source in LATER and later(source):
            continue
        if source in BUILT:
            assert f"MODEL := {source}" in makefile and f"{BUILT[source]}:" in makefile
            continue
        assert (ROOT / source).exists(), f"{name} copies {source}, which does not exist"
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    # models/ is ignored but for the live model, which the Rasa image needs.
    assert "!models/clinic.tar.gz" in ignored
    assert ".rasa/" in ignored and "deploy/.env" in ignored  # tokens, secrets


def _module_file(module: str) -> Path:
    """The file Python runs for a project module: a.b -> a/b.py or a/b/__init__.py."""
    path = ROOT / module.replace(".", "/")
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def project_imports(path: Path) -> Tuple[Set[str], Set[str]]:
    """(project modules, third-party top-level names) that a module imports."""
    project, others = set(), set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: List[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            top = name.split(".")[0]
            if (ROOT / top / "__init__.py").exists():
                # Importing a.b runs a/__init__.py too (components' runs rasa_patches).
                project.add(top)
                if _module_file(name).exists():
                    project.add(name)
            elif top not in sys.stdlib_module_names and top != "__future__":
                others.add(top)
    return project, others


def import_closure(starts: List[str]) -> Tuple[Set[str], Set[str]]:
    """Project modules reachable from `starts` and the third-party names they import."""
    seen: Set[str] = set()
    third_party: Set[str] = set()
    todo = list(starts)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        project, others = project_imports(_module_file(module))
        third_party |= others
        todo.extend(project - seen)
    return seen, third_party


def distributions_of(top_names: Set[str]) -> Set[str]:
    """The installed distributions (normalised names) that provide these imports."""
    provided = metadata.packages_distributions()
    found = set()
    for top in top_names:
        if top in provided:
            found |= {normalise(d) for d in provided[top]}
        else:  # no top_level.txt (rasa, rasa_sdk): the import is named like the package
            found.add(normalise(metadata.distribution(top).metadata["Name"]))
    return found


def normalise(name: str) -> str:
    """PEP 503 name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(root: str) -> Set[str]:
    """A distribution and everything it installs without extras (as its image has)."""
    seen: Set[str] = set()
    todo: List[Tuple[str, str]] = [(root, "")]
    while todo:
        name, extra = todo.pop()
        key = normalise(name)
        if (key, extra) in seen:
            continue
        seen.add((key, extra))
        try:
            requires = metadata.distribution(name).requires or []
        except metadata.PackageNotFoundError:
            continue  # a dependency for another platform
        for line in requires:
            requirement = Requirement(line)
            marker = requirement.marker
            if marker is None or marker.evaluate({"extra": extra}):
                todo.append((requirement.name, ""))
                todo.extend((requirement.name, e) for e in requirement.extras)
    return {name for name, _ in seen}


def requirement_names(name: str) -> Set[str]:
    """The package names a deploy/docker/*-requirements.txt installs."""
    lines = (DOCKER / name).read_text().splitlines()
    return {normalise(x.strip()) for x in lines if x.strip() and not x.startswith("#")}


def locked() -> Dict[str, str]:
    """requirements.lock as name -> version."""
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[normalise(name)] = version.strip()
    return pins


def server_entry_modules() -> List[str]:
    """What `rasa run` imports from the project: channels, components, stores."""
    packages = ["channels", "components"] + ([] if later("stores/") else ["stores"])
    return [
        f"{package}.{path.stem}"
        for package in packages
        for path in sorted((ROOT / package).glob("*.py"))
    ]


def test_the_rasa_image_has_every_package_the_server_imports() -> None:
    modules, third_party = import_closure(server_entry_modules())
    # The channels need actions.parsing and components.language: both copied.
    assert {"actions.parsing", "components.language"} <= modules
    copied = {source.rstrip("/") for source in copied_sources("rasa.Dockerfile")}
    assert {module.split(".")[0] for module in modules} <= copied
    needed = distributions_of(third_party) - dependency_closure("rasa")
    installed = requirement_names("rasa-requirements.txt")
    assert needed <= installed, f"add to rasa-requirements.txt: {needed - installed}"
    # spaCy's English lemmas come from a package, not a download at start.
    assert {"spacy", "spacy-lookups-data", "jieba"} <= installed


def test_the_actions_image_has_every_package_the_actions_import() -> None:
    # The same image runs the action server and the relay (python -m booking.relay).
    starts = [
        f"{package}.{path.stem}"
        for package in ("actions", "booking")
        for path in sorted((ROOT / package).glob("*.py"))
    ]
    modules, third_party = import_closure(starts)
    copied = {source.rstrip("/") for source in copied_sources("actions.Dockerfile")}
    assert {module.split(".")[0] for module in modules} <= copied
    needed = distributions_of(third_party) - dependency_closure("rasa-sdk")
    installed = requirement_names("actions-requirements.txt")
    assert needed <= installed, f"add to actions-requirements.txt: {needed - installed}"


@pytest.mark.parametrize("name", ["rasa-requirements.txt", "actions-requirements.txt"])
def test_image_packages_are_pinned_by_the_lock(name: str) -> None:
    pins = locked()
    for package in requirement_names(name):
        assert package in pins, f"{package} ({name}) is not in requirements.lock"
    dockerfile = DOCKER / name.replace("-requirements.txt", ".Dockerfile")
    assert "--constraint /tmp/pip/requirements.lock" in dockerfile.read_text()


# --- The Rasa server's entry point -------------------------------------------------


@pytest.fixture
def entry_point(tmp_path: Path) -> Tuple[Path, Dict[str, str]]:
    """A working directory with credentials.yml and a `rasa` that prints its call."""
    shutil.copy(ROOT / "credentials.yml", tmp_path)
    (tmp_path / "endpoints.test.yml").write_text(
        "tracker_store:\n  url: ${DB_HOST}\n  password: ${DB_PASSWORD}\n"
        "lock_store:\n  password: ${REDIS_PASSWORD}  # ${NOT_USED}\n"
    )
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in = bin_dir / "rasa"
    stand_in.write_text(
        "#!/usr/bin/env bash\n"
        'echo "ARGS $*"\n'
        'echo "WECHAT_TOKEN=${WECHAT_TOKEN-unset}"\n'
    )
    stand_in.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "RASA_ENDPOINTS": "endpoints.test.yml",
        "RASA_AUTH_TOKEN": "t" * 32,
        "DB_HOST": "postgres",
        "DB_PASSWORD": "secret",
        "REDIS_PASSWORD": "",
    }
    return tmp_path, env


def start(
    workdir: Path, env: Dict[str, str], *args: str
) -> subprocess.CompletedProcess:
    """Runs deploy/docker/rasa-start.sh as the container would."""
    return run(
        ["/bin/bash", str(DOCKER / "rasa-start.sh"), *args], cwd=workdir, env=env
    )


def test_entry_point_runs_rasa_with_the_api_token_and_the_endpoints(
    entry_point: Tuple[Path, Dict[str, str]],
) -> None:
    workdir, env = entry_point
    result = start(workdir, env)
    assert result.returncode == 0, result.stderr
    assert (
        f"ARGS run --model models/clinic.tar.gz --port 5005 --enable-api --auth-token "
        f"{'t' * 32} --endpoints endpoints.test.yml --credentials credentials.yml"
    ) in result.stdout
    # WeChat's settings are optional: exported empty, so Rasa starts without them.
    assert "WECHAT_TOKEN=\n" in result.stdout
    given = start(workdir, env, "run", "--endpoints", "endpoints.yml")
    assert "ARGS run --endpoints endpoints.yml" in given.stdout


def test_entry_point_refuses_to_start_without_a_token_or_a_store_setting(
    entry_point: Tuple[Path, Dict[str, str]],
) -> None:
    workdir, env = entry_point
    no_token = start(workdir, {**env, "RASA_AUTH_TOKEN": "short"})
    assert no_token.returncode == 2 and "RASA_AUTH_TOKEN" in no_token.stderr
    env.pop("DB_PASSWORD")
    no_password = start(workdir, env)
    assert no_password.returncode == 2
    assert "DB_PASSWORD is not set" in no_password.stderr
    assert "ARGS" not in no_password.stdout


# --- YAML ------------------------------------------------------------------------


def test_yamllint_finds_nothing() -> None:
    files = [str(p) for p in sorted(DEPLOY.rglob("*.y*ml"))]
    files += [str(p) for p in endpoint_files()] + [str(ROOT / "credentials.yml")]
    assert any(f.endswith("docker-compose.yml") for f in files)
    result = run(
        [str(BIN / "yamllint"), "--strict", "-c", str(ROOT / ".yamllint"), *files]
    )
    assert result.returncode == 0, result.stdout + result.stderr


# --- docker-compose ----------------------------------------------------------------


def compose(env_file: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs Debian's docker-compose 1.29 (`make compose`) on the compose file."""
    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is missing: run `make compose` (Debian's package)"
    compose_file = str(DEPLOY / "docker-compose.yml")
    return run(
        [binary, "--env-file", str(env_file), "-f", compose_file, *args],
        # Only the env file: a variable of the test's own environment would win.
        env={"PATH": os.environ["PATH"], "HOME": str(Path.home())},
    )


@pytest.fixture(scope="module")
def compose_config() -> Dict[str, Any]:
    """The compose file as docker-compose resolves it with deploy/.env.example."""
    result = compose(ENV_EXAMPLE, "config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid(compose_config: Dict[str, Any]) -> None:
    services = compose_config["services"]
    assert set(services) == {
        "nginx",
        "rasa-1",
        "rasa-2",
        "actions",
        "relay",
        "postgres",
        "redis",
    }
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["relay"]["command"] == ["python", "-m", "booking.relay"]
    # The relay has no port; docker-compose writes `disable: true` as test NONE.
    assert services["relay"]["healthcheck"] in ({"disable": True}, {"test": ["NONE"]})
    for name in ("rasa-1", "rasa-2"):
        assert services[name]["build"]["dockerfile"] == "deploy/docker/rasa.Dockerfile"
        conditions = {
            k: v["condition"] for k, v in services[name]["depends_on"].items()
        }
        assert conditions == {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "actions": "service_healthy",
        }
    # Only nginx is published; the servers, PostgreSQL and Redis are not reachable
    # from outside the compose network.
    assert [s for s, v in services.items() if v.get("ports")] == ["nginx"]


def test_compose_gives_each_rasa_server_every_setting_its_files_use(
    compose_config: Dict[str, Any],
) -> None:
    needed = env_references(ROOT / "credentials.yml")
    for path in endpoint_files():
        needed |= env_references(path)
    for name in ("rasa-1", "rasa-2"):
        environment = compose_config["services"][name]["environment"]
        assert needed <= set(environment), needed - set(environment)
        assert environment["RASA_ENDPOINTS"] == "endpoints.prod.yml"
        assert environment["SANIC_PROXIES_COUNT"] == "1"
    actions = compose_config["services"]["actions"]["environment"]
    assert actions["ACTIONS_HOST"] == "0.0.0.0"  # noqa: S104 - inside its container
    assert actions["BOOKING_OUTBOX_URL"].startswith("postgresql://")


def test_compose_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    lines = ENV_EXAMPLE.read_text().splitlines()
    env_file = tmp_path / ".env"
    env_file.write_text(
        "\n".join(x for x in lines if not x.startswith("DB_PASSWORD=")) + "\n"
    )
    result = compose(env_file, "config", "-q")
    assert result.returncode != 0
    assert "set DB_PASSWORD in deploy/.env" in result.stderr


def test_nginx_gets_the_load_tests_config_and_our_upstreams(
    compose_config: Dict[str, Any],
) -> None:
    mounts = {}
    for volume in compose_config["services"]["nginx"]["volumes"]:
        source, target = volume.split(":")[:2]
        mounts[target] = Path(source)
    assert mounts["/etc/nginx/upstreams.conf"] == DEPLOY / "compose" / "upstreams.conf"
    assert mounts["/etc/nginx/conf.d/default.conf"] == DEPLOY / "nginx" / "clinic.conf"
    upstreams = (DEPLOY / "compose" / "upstreams.conf").read_text()
    servers = re.findall(r"^\s*server\s+([\w.-]+):5005\b", upstreams, re.MULTILINE)
    assert servers == ["rasa-1", "rasa-2"]
    assert "hash $remote_addr consistent;" in upstreams
    if later("deploy/nginx/clinic.conf"):
        return
    # Once clinic.conf is here: what it includes is mounted, what it proxies to exists.
    clinic = (DEPLOY / "nginx" / "clinic.conf").read_text()
    for include in re.findall(r"^\s*include\s+([^;]+);", clinic, re.MULTILINE):
        target = include if include.startswith("/") else f"/etc/nginx/{include}"
        assert target in mounts or target.startswith("/etc/nginx/mime"), (
            f"clinic.conf includes {include}: mount a file there in docker-compose.yml"
        )
    defined = set(re.findall(r"upstream\s+([\w-]+)\s*\{", clinic + upstreams))
    for name in re.findall(r"proxy_pass\s+https?://([\w-]+)", clinic):
        assert name in defined, f"clinic.conf proxies to {name}: no such upstream"


# --- Helm values -------------------------------------------------------------------

VALUES = ["values-rasa.yaml", "values-actions.yaml", "values-relay.yaml"]
CHART_OF = {
    "values-rasa.yaml": "rasa",
    "values-actions.yaml": "rasa-action-server",
    "values-relay.yaml": "rasa-action-server",
}


def values(name: str) -> Dict[str, Any]:
    """A values file."""
    return yaml.safe_load((HELM / name).read_text())


def schema_for(name: str) -> Dict[str, Any]:
    """Our schema's definition for a values file."""
    schema = json.loads((HELM / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return schema["definitions"][name]


@pytest.mark.parametrize("name", VALUES)
def test_helm_values_match_our_schema(name: str) -> None:
    jsonschema.validate(values(name), schema_for(name))


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("values-rasa.yaml", {"replicas": 2}),  # the chart's key is replicaCount
        ("values-rasa.yaml", {"replicaCount": 1}),
        ("values-actions.yaml", {"image": {"name": "x", "tag": 3}}),
        ("values-relay.yaml", {"livenessProbe": {"httpGet": {"path": "/", "port": 1}}}),
    ],
)
def test_schema_refuses_a_wrong_key_or_value(name: str, change: Dict[str, Any]) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**values(name), **change}, schema_for(name))


def key_paths(tree: Dict[str, Any], free: Set[str], prefix: str = "") -> Iterator[str]:
    """Every key path a values file sets, stopping at the chart's free-form keys."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if path in free or not isinstance(value, dict) or not value:
            yield path
        else:
            yield from key_paths(value, free, f"{path}.")


@pytest.mark.parametrize("name", VALUES)
def test_every_key_the_values_set_exists_in_the_chart(name: str) -> None:
    chart = yaml.safe_load((HELM / "chart-keys.yaml").read_text())[CHART_OF[name]]
    known = set(chart["keys"]) | set(chart["from_templates"]) | set(chart["free"])
    unknown = set(key_paths(values(name), set(chart["free"]))) - known
    assert not unknown, f"{name} sets keys the chart does not read: {sorted(unknown)}"


def test_helm_rasa_config_says_what_the_project_files_say() -> None:
    settings = values("values-rasa.yaml")["applicationSettings"]
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text())
    assert settings["credentials"]["additionalChannelCredentials"] == credentials
    endpoints = settings["endpoints"]
    local = yaml.safe_load((ROOT / "endpoints.yml").read_text())
    action = endpoints["additionalEndpoints"]["action_endpoint"]
    assert action["headers"] == local["action_endpoint"]["headers"]
    if later("endpoints.prod.yml"):
        return
    prod = yaml.safe_load((ROOT / "endpoints.prod.yml").read_text())
    assert endpoints["trackerStore"]["type"] == prod["tracker_store"]["type"]
    assert endpoints["lockStore"]["type"] == prod["lock_store"]["type"]
    assert str(endpoints["lockStore"]["db"]) == str(prod["lock_store"].get("db", 1))


def test_helm_rasa_pods_get_every_setting_their_config_uses() -> None:
    rasa = values("values-rasa.yaml")
    given = {item["name"] for item in rasa["extraEnv"]}
    # The chart's own variables for an external PostgreSQL and Redis (rasa-common).
    given |= {"DB_HOST", "DB_PORT", "DB_USER", "DB_PASSWORD", "DB_DATABASE"}
    given |= {"REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"}
    settings = rasa["applicationSettings"]
    endpoint_names = set(ENV_REFERENCE.findall(json.dumps(settings["endpoints"])))
    assert endpoint_names <= given, endpoint_names - given
    assert "$(RASA_AUTH_TOKEN)" in rasa["args"] and "RASA_AUTH_TOKEN" in given
    # Secrets come from the Secret, never from the values file.
    secret = re.compile(r"TOKEN|SECRET|PASSWORD|_KEY$|REDIS_URL$|OUTBOX_URL$")
    for item in rasa["extraEnv"]:
        if secret.search(item["name"]):
            assert "valueFrom" in item, f"{item['name']} must come from a Secret"


# --- Every setting documented ------------------------------------------------------


def settings_in_use() -> Tuple[Set[str], List[str]]:
    """Every variable the servers read or their YAML files use, and where from."""
    sources = [ROOT / "credentials.yml", *endpoint_files()]
    names = set().union(*(env_references(path) for path in sources))
    # The settings modules (one per package) and the channels, which read their own.
    code = [
        *sorted(ROOT.glob("*/settings.py")),
        *sorted((ROOT / "channels").glob("*.py")),
    ]
    for path in code:
        names |= set(SETTING.findall(path.read_text()))
    checked = [str(p.relative_to(ROOT)) for p in sources + code] + ["the contract"]
    return names | CONTRACT, checked


def test_the_settings_search_finds_what_the_code_reads() -> None:
    names, _ = settings_in_use()
    assert {"BOOKING_WEBHOOK_URL", "GUARD_MAX_CHARS", "WECHAT_TOKEN"} <= names
    assert {"ACTION_SERVER_TOKEN", "WEBCHAT_ALLOWED_ORIGINS"} <= names


def test_every_setting_is_in_the_env_example() -> None:
    names, checked = settings_in_use()
    missing = names - set(env_example())
    assert not missing, f"not in deploy/.env.example: {sorted(missing)} ({checked})"


def test_every_setting_is_in_the_deploy_docs_table() -> None:
    names, checked = settings_in_use()
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)`", DOCS.read_text(), re.MULTILINE))
    missing = names - documented
    assert not missing, f"not in docs/deploy.md's table: {sorted(missing)} ({checked})"
    # And nothing in the table that nothing reads (a renamed variable, say).
    stale = documented - names - set(env_example())
    assert not stale, f"docs/deploy.md documents unknown variables: {sorted(stale)}"


def test_env_example_keeps_secrets_as_placeholders() -> None:
    for name, value in env_example().items():
        if re.search(r"TOKEN$|SECRET$|PASSWORD$", name) and value:
            assert value.startswith("CHANGE-ME"), f"{name} must be a placeholder"


def test_deploy_docs_say_what_was_not_run() -> None:
    text = DOCS.read_text()
    assert "## Not run here" in text
    section = text.split("## Not run here", 1)[1]
    for what in ("Docker", "Kubernetes", "hadolint", "yamllint", "docker-compose"):
        assert what in section
