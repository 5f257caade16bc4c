"""Each listing of a Pulumi package's private names: every name is where the listing takes it, no other
module reaches into that package's modules, and pyproject.toml allows no release newer than the one the
names were proven on."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import pytest

from infra import pulumi_internals, pulumi_policy_internals
from tests.infra.private_names import (
    REPOSITORY,
    check_pinned_to_proven,
    check_taken,
    modules_reaching_into,
    taken_names,
)


@dataclass(frozen=True)
class Listing:
    distribution: str
    module: ModuleType
    public_packages: tuple[str, ...]
    """Importing these names is public; anything deeper is private and belongs in the listing."""

    @property
    def path(self) -> str:
        return f"infra/{self.module.__name__.rpartition('.')[2]}.py"


LISTINGS = (
    Listing("pulumi", pulumi_internals, ("pulumi.runtime",)),
    Listing("pulumi-policy", pulumi_policy_internals, ("pulumi_policy",)),
)
NAMES = [
    (listing, module, name) for listing in LISTINGS for module, name in taken_names(REPOSITORY / listing.path)
]


@pytest.mark.parametrize(
    ("listing", "module", "name"), NAMES, ids=lambda part: getattr(part, "distribution", part)
)
def test_each_private_name_is_where_the_listing_takes_it(listing: Listing, module: str, name: str) -> None:
    check_taken(listing.distribution, REPOSITORY / listing.path, module, name)


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.distribution)
def test_no_other_module_reaches_into_the_packages_modules(listing: Listing) -> None:
    assert modules_reaching_into(listing.public_packages) == {listing.path}


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.distribution)
def test_the_package_is_capped_at_the_version_proven(listing: Listing) -> None:
    check_pinned_to_proven(listing.distribution, listing.module.PROVEN_ON)
