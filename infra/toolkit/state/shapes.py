"""The shapes of Pulumi state files, after pulumi/pulumi's `apitype` (sdk/go/common/apitype/core.go).

A `pulumi stack export` file is an `UntypedDeployment` (`{"version": 3, "deployment": DeploymentV3}`);
a DIY backend's `.pulumi/stacks/<project>/<stack>.json` is a `VersionedCheckpoint`
(`{"version": 3, "checkpoint": CheckpointV3}`) whose `latest` is the same DeploymentV3. Only the fields
this toolkit reads are declared; the engine adds optional fields over time, so others are ignored.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

STATE_VERSION = 3
"""The deployment and checkpoint version this toolkit reads (apitype's DeploymentSchemaVersionCurrent)."""


class _Shape(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class ResourceV3(_Shape):
    """One resource as the engine recorded it after the last deployment."""

    urn: str
    type: str
    custom: bool = False
    delete: bool = False
    """An old copy waiting for deletion (left by an interrupted create-before-delete replacement)."""
    id: str | None = None
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    parent: str | None = None
    protect: bool = False
    external: bool = False
    dependencies: list[str] = []
    init_errors: list[str] = Field(default=[], alias="initErrors")
    provider: str | None = None
    property_dependencies: dict[str, list[str] | None] = Field(default={}, alias="propertyDependencies")
    pending_replacement: bool = Field(default=False, alias="pendingReplacement")
    additional_secret_outputs: list[str] = Field(default=[], alias="additionalSecretOutputs")
    aliases: list[str] = []
    retain_on_delete: bool = Field(default=False, alias="retainOnDelete")
    deleted_with: str | None = Field(default=None, alias="deletedWith")
    ignore_changes: list[str] = Field(default=[], alias="ignoreChanges")
    replace_on_changes: list[str] = Field(default=[], alias="replaceOnChanges")


class OperationV2(_Shape):
    """An operation the engine had started and not finished when the state was last written."""

    resource: ResourceV3
    type: Literal["creating", "updating", "deleting", "reading", "importing"]


class DeploymentV3(_Shape):
    """The resources of a stack after its last deployment, and operations left pending."""

    resources: list[ResourceV3] = []
    pending_operations: list[OperationV2] = []
    secrets_providers: dict[str, Any] | None = None


class CheckpointV3(_Shape):
    """A DIY backend's record of one stack: its name and its latest deployment (none before the first)."""

    stack: str
    latest: DeploymentV3 | None = None
