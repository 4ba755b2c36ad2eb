"""The deployment files: deploy/jupyterhub_config.py as JupyterHub reads it in each mode, and deploy/values.yaml.

The config file is loaded the way JupyterHub loads it (traitlets'
``PyFileConfigLoader``), with the environment switches of each mode; the hub
running it for real is ``tests/test_hub.py``. The Helm chart and its values
schema cannot be had here (neither PyPI nor npm ships them), so ``values.yaml``
is checked against a schema of the chart keys the guide documents, with the
types the chart's ``values.schema.yaml`` gives them, and against the hub
config: the same default page, environment and single-user settings.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from traitlets.config import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
HUB_CONFIG = DEPLOY / "jupyterhub_config.py"
SERVER_CONFIG = DEPLOY / "jupyter_server_config.json"
VALUES = DEPLOY / "values.yaml"
STORE_URL = "postgresql://okr_app:s3cret@db.example.org/okr_workshop"
SWITCHES = ("OKR_HUB_MODE", "OKR_WORKSHOP_DB", "OKR_WORKSHOP_DB_FILE", "OKR_HUB_NOTEBOOKS", "OKR_HUB_STATE",
            "OKR_HUB_BIND_URL", "OKR_HUB_IDLE_TIMEOUT", "OKR_HUB_PASSWORD", "OKR_WORKSHOP_CERTIFICATES")


@pytest.fixture
def hub_config(monkeypatch, tmp_path):
    """``hub_config(**environment)``: deploy/jupyterhub_config.py loaded with only these switches set."""

    def load(**environment: str):
        for name in SWITCHES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("OKR_HUB_STATE", str(tmp_path / "state"))
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return PyFileConfigLoader(HUB_CONFIG.name, str(DEPLOY)).load_config()

    return load


@pytest.fixture
def secret_file(tmp_path) -> Path:
    """The store's URL in a file, as a mounted secret holds it."""
    path = tmp_path / "store-url"
    path.write_text(STORE_URL + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the hub's config


def test_production_signs_in_through_the_system_and_culls_idle_servers(hub_config, secret_file):
    config = hub_config(OKR_WORKSHOP_DB_FILE=str(secret_file), OKR_HUB_IDLE_TIMEOUT="1800")
    assert config.JupyterHub.authenticator_class == "pam"
    assert "spawner_class" not in config.JupyterHub  # JupyterHub's own: each server as its person's account
    (culler,) = config.JupyterHub.services
    assert culler["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=1800"]
    (role,) = config.JupyterHub.load_roles
    assert role["services"] == ["idle-culler"] and "delete:servers" in role["scopes"]


def test_the_store_url_comes_from_a_secret_file_or_the_environment_never_the_file(hub_config, secret_file):
    from_file = hub_config(OKR_WORKSHOP_DB_FILE=str(secret_file), OKR_WORKSHOP_DB="postgresql://ignored")
    assert from_file.Spawner.environment["OKR_WORKSHOP_DB"] == STORE_URL
    from_env = hub_config(OKR_WORKSHOP_DB=STORE_URL)
    assert from_env.Spawner.environment["OKR_WORKSHOP_DB"] == STORE_URL
    assert "postgresql://" not in HUB_CONFIG.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="OKR_WORKSHOP_DB"):
        hub_config()


def test_every_server_opens_the_apps_in_voila_with_the_okr_template(hub_config):
    config = hub_config(OKR_WORKSHOP_DB=STORE_URL)
    assert config.Spawner.default_url == "/voila/render/index.ipynb"
    assert config.Spawner.notebook_dir == str(ROOT / "notebooks")
    assert config.Spawner.args == [f"--config={SERVER_CONFIG}"]
    template = Path(config.Spawner.environment["JUPYTER_PATH"]) / "voila" / "templates" / "okr"
    assert (template / "index.html.j2").is_file()
    server = json.loads(SERVER_CONFIG.read_text(encoding="utf-8"))
    assert server["VoilaConfiguration"]["template"] == "okr"
    # Voila in a Jupyter server asks for MathJax from a CDN unless both are None (as standalone Voila has them).
    assert server["ServerApp"]["tornado_settings"] == {"mathjax_url": None, "mathjax_config": None}


def test_test_mode_lets_the_stores_people_in_with_the_shared_password(hub_config, seeded_store, tmp_path):
    config = hub_config(OKR_HUB_MODE="test", OKR_WORKSHOP_DB=str(seeded_store), OKR_HUB_PASSWORD="workshop-1234")
    assert config.JupyterHub.authenticator_class == "shared-password"
    assert config.SharedPasswordAuthenticator.user_password == "workshop-1234"
    assert config.Authenticator.allowed_users == {"ana@example.org", "ben@example.org"}
    assert config.JupyterHub.spawner_class == "jupyterhub.spawner.SimpleLocalProcessSpawner"
    state = tmp_path / "state"
    assert config.Spawner.environment["JUPYTER_RUNTIME_DIR"] == str(state / ".jupyter" / "runtime")
    assert config.JupyterHub.db_url == f"sqlite:///{state / 'jupyterhub.sqlite'}"


def test_an_unknown_mode_is_refused(hub_config):
    with pytest.raises(ValueError, match="production or test"):
        hub_config(OKR_HUB_MODE="staging", OKR_WORKSHOP_DB=STORE_URL)


# --------------------------------------------------------------------------- the Kubernetes values

STRING = {"type": "string"}
FROM_SECRET = {
    "type": "object", "additionalProperties": False, "required": ["valueFrom"],
    "properties": {"valueFrom": {
        "type": "object", "additionalProperties": False, "required": ["secretKeyRef"],
        "properties": {"secretKeyRef": {"type": "object", "additionalProperties": False, "required": ["name", "key"],
                                        "properties": {"name": STRING, "key": STRING}}}}},
}
ENV = {"type": "object", "additionalProperties": {"anyOf": [STRING, FROM_SECRET]}}


def strict(properties: dict, required: tuple[str, ...] = ()) -> dict:
    """An object schema allowing only ``properties``."""
    return {"type": "object", "additionalProperties": False, "properties": properties, "required": list(required)}


VALUES_SCHEMA = strict({
    "hub": strict({
        "config": {"type": "object", "additionalProperties": {"type": "object"}},
        "extraEnv": ENV,
    }),
    "singleuser": strict({
        "image": strict({"name": STRING, "tag": STRING}, ("name", "tag")),
        "defaultUrl": STRING,
        "extraEnv": ENV,
        "extraFiles": {"type": "object", "additionalProperties": strict(
            {"mountPath": STRING, "data": {"type": "object"}, "stringData": STRING, "mode": {"type": "integer"}},
            ("mountPath",))},
        "storage": strict({"type": {"enum": ["dynamic", "static", "none"]}, "capacity": STRING}),
        "cpu": strict({"limit": {"type": "number"}, "guarantee": {"type": "number"}}),
        "memory": strict({"limit": {"type": ["number", "string"]}, "guarantee": {"type": ["number", "string"]}}),
        "startTimeout": {"type": "integer"},
    }, ("image", "defaultUrl", "extraEnv")),
    "cull": strict({"enabled": {"type": "boolean"}, "timeout": {"type": "integer"}, "every": {"type": "integer"}},
                   ("enabled", "timeout", "every")),
}, ("hub", "singleuser", "cull"))
"""The chart keys the guide documents, typed as the chart's values.schema.yaml types them (chart 4.x)."""


@pytest.fixture(scope="module")
def values() -> dict:
    """deploy/values.yaml, parsed."""
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def test_the_values_use_only_the_chart_keys_the_guide_documents(values):
    jsonschema.validate(values, VALUES_SCHEMA)


def test_the_values_set_up_the_servers_as_the_hub_config_does(values, hub_config):
    config = hub_config(OKR_WORKSHOP_DB=STORE_URL)
    user = values["singleuser"]
    assert user["defaultUrl"] == config.Spawner.default_url
    assert set(user["extraEnv"]) == set(config.Spawner.environment)
    (server_config,) = user["extraFiles"].values()
    assert server_config["data"] == json.loads(SERVER_CONFIG.read_text(encoding="utf-8"))
    assert server_config["mountPath"] == "/etc/jupyter/jupyter_server_config.json"  # read by every Jupyter server
    assert values["cull"]["enabled"] is True


def test_the_values_take_every_secret_from_a_kubernetes_secret(values):
    store = values["singleuser"]["extraEnv"]["OKR_WORKSHOP_DB"]
    assert store["valueFrom"]["secretKeyRef"]["key"] == "store-url"
    assert "OAUTH_CLIENT_SECRET" in values["hub"]["extraEnv"]
    assert "client_secret" not in values["hub"]["config"]["GenericOAuthenticator"]

    def strings(node):
        if isinstance(node, dict):
            return [s for child in node.values() for s in strings(child)]
        if isinstance(node, list):
            return [s for child in node for s in strings(child)]
        return [node] if isinstance(node, str) else []

    assert not [s for s in strings(values) if "postgresql" in s or "password" in s.lower()]
