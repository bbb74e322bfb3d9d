//! Borrowed views of a catalogue's entries: cheap to copy, each a reference
//! to the catalogue and a row number.

use super::template::matches_arn_format;
use super::{cmp_folded, AccessLevel, Catalog, KeyType, Rows};

macro_rules! view {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $name<'a> {
            catalog: &'a Catalog,
            index: u32,
        }

        impl<'a> $name<'a> {
            pub(super) fn new(catalog: &'a Catalog, index: usize) -> Self {
                $name {
                    catalog,
                    index: index as u32,
                }
            }
        }

        impl PartialEq for $name<'_> {
            fn eq(&self, other: &Self) -> bool {
                std::ptr::eq(self.catalog, other.catalog) && self.index == other.index
            }
        }

        impl Eq for $name<'_> {}
    };
}

view!(
    /// A service: its prefix, name, actions, resource types and keys.
    Service
);
view!(
    /// An action, such as `s3:GetObject`.
    Action
);
view!(
    /// A resource type of a service, such as `s3`'s `object`.
    ResourceType
);
view!(
    /// A condition key, service-specific or global.
    ConditionKey
);

/// A resource type as one action uses it: whether it is required, and
/// the condition keys that apply to the action on it.
#[derive(Clone, Copy)]
pub struct ActionResourceType<'a> {
    catalog: &'a Catalog,
    index: u32,
}

impl PartialEq for ActionResourceType<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.catalog, other.catalog) && self.index == other.index
    }
}

impl Eq for ActionResourceType<'_> {}

fn keys(catalog: &Catalog, rows: Rows) -> impl Iterator<Item = ConditionKey<'_>> + '_ {
    catalog
        .key_lists
        .get(rows.start as usize..rows.end as usize)
        .unwrap_or_default()
        .iter()
        .map(move |&k| ConditionKey::new(catalog, k as usize))
}

fn texts(catalog: &Catalog, rows: Rows) -> impl Iterator<Item = &str> + '_ {
    catalog
        .texts
        .get(rows.start as usize..rows.end as usize)
        .unwrap_or_default()
        .iter()
        .map(move |&t| catalog.str(t))
}

impl<'a> Service<'a> {
    fn row(&self) -> super::ServiceRow {
        self.catalog
            .services
            .get(self.index as usize)
            .copied()
            .unwrap_or_default()
    }

    /// The prefix actions use, such as `s3`.
    pub fn prefix(&self) -> &'a str {
        self.catalog.str(self.row().prefix)
    }

    /// The service's name, such as `Amazon S3`.
    pub fn name(&self) -> &'a str {
        self.catalog.str(self.row().name)
    }

    /// Its actions, by name.
    pub fn actions(&self) -> impl ExactSizeIterator<Item = Action<'a>> + 'a {
        let catalog = self.catalog;
        self.row()
            .actions
            .iter()
            .map(move |i| Action::new(catalog, i as usize))
    }

    /// Its action named `name` (any case, without the prefix).
    pub fn action(&self, name: &str) -> Option<Action<'a>> {
        let rows = self.row().actions;
        let slice = self
            .catalog
            .actions
            .get(rows.start as usize..rows.end as usize)?;
        let found = slice
            .binary_search_by(|a| cmp_folded(self.catalog.str(a.name), name))
            .ok()?;
        Some(Action::new(self.catalog, rows.start as usize + found))
    }

    /// Its resource types, by name.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ResourceType<'a>> + 'a {
        let catalog = self.catalog;
        self.row()
            .resource_types
            .iter()
            .map(move |i| ResourceType::new(catalog, i as usize))
    }

    /// Its resource type named `name` (any case).
    pub fn resource_type(&self, name: &str) -> Option<ResourceType<'a>> {
        let rows = self.row().resource_types;
        let slice = self
            .catalog
            .resource_types
            .get(rows.start as usize..rows.end as usize)?;
        let found = slice
            .binary_search_by(|t| cmp_folded(self.catalog.str(t.name), name))
            .ok()?;
        Some(ResourceType::new(self.catalog, rows.start as usize + found))
    }

    /// The condition keys the service defines or supports, by name.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'a>> + 'a {
        keys(self.catalog, self.row().keys)
    }
}

impl<'a> Action<'a> {
    fn row(&self) -> Option<&'a super::ActionRow> {
        self.catalog.actions.get(self.index as usize)
    }

    /// The service the action belongs to.
    pub fn service(&self) -> Service<'a> {
        Service::new(
            self.catalog,
            self.row().map(|r| r.service).unwrap_or_default() as usize,
        )
    }

    /// The action's name without its prefix, such as `GetObject`.
    pub fn name(&self) -> &'a str {
        self.row()
            .map(|r| self.catalog.str(r.name))
            .unwrap_or_default()
    }

    /// The full name, such as `s3:GetObject`.
    pub fn full_name(&self) -> String {
        format!("{}:{}", self.service().prefix(), self.name())
    }

    /// How much the action grants.
    pub fn access_level(&self) -> AccessLevel {
        self.row().map_or(AccessLevel::Read, |r| r.access)
    }

    /// The resource types it acts on, as the reference lists them.
    pub fn resource_types(&self) -> impl ExactSizeIterator<Item = ActionResourceType<'a>> + 'a {
        let catalog = self.catalog;
        self.row()
            .map(|r| r.resource_types)
            .unwrap_or_default()
            .iter()
            .map(move |index| ActionResourceType { catalog, index })
    }

    /// The condition keys of the action itself (not those of its resource
    /// types), by name.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'a>> + 'a {
        keys(self.catalog, self.row().map(|r| r.keys).unwrap_or_default())
    }

    /// Every condition key that applies to the action: its own, those
    /// listed for it on each of its resource types, and those of the
    /// resource types themselves; by name, each once. Global keys apply
    /// too and are not repeated here.
    pub fn applicable_condition_keys(&self) -> Vec<ConditionKey<'a>> {
        let mut indices: Vec<u32> = self.condition_keys().map(|k| k.index).collect();
        for rt in self.resource_types() {
            indices.extend(rt.condition_keys().map(|k| k.index));
            indices.extend(rt.resource_type().condition_keys().map(|k| k.index));
        }
        crate::sorting::sort(&mut indices);
        indices.dedup();
        indices
            .into_iter()
            .map(|i| ConditionKey::new(self.catalog, i as usize))
            .collect()
    }

    /// Other actions the action needs, as the reference writes them.
    pub fn dependent_actions(&self) -> impl Iterator<Item = &'a str> + 'a {
        texts(
            self.catalog,
            self.row().map(|r| r.dependent_actions).unwrap_or_default(),
        )
    }
}

impl<'a> ActionResourceType<'a> {
    fn row(&self) -> Option<&'a super::ActionResourceTypeRow> {
        self.catalog.action_resource_types.get(self.index as usize)
    }

    /// The resource type.
    pub fn resource_type(&self) -> ResourceType<'a> {
        ResourceType::new(
            self.catalog,
            self.row().map(|r| r.resource_type).unwrap_or_default() as usize,
        )
    }

    /// Whether the action always acts on this type (marked `*` in the
    /// reference).
    pub fn required(&self) -> bool {
        self.row().is_some_and(|r| r.required)
    }

    /// Condition keys for the action on this type, by name.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'a>> + 'a {
        keys(self.catalog, self.row().map(|r| r.keys).unwrap_or_default())
    }

    /// Other actions needed for this type.
    pub fn dependent_actions(&self) -> impl Iterator<Item = &'a str> + 'a {
        texts(
            self.catalog,
            self.row().map(|r| r.dependent_actions).unwrap_or_default(),
        )
    }
}

impl<'a> ResourceType<'a> {
    fn row(&self) -> Option<&'a super::ResourceTypeRow> {
        self.catalog.resource_types.get(self.index as usize)
    }

    /// The service the resource type belongs to.
    pub fn service(&self) -> Service<'a> {
        Service::new(
            self.catalog,
            self.row().map(|r| r.service).unwrap_or_default() as usize,
        )
    }

    /// The type's name, such as `object`.
    pub fn name(&self) -> &'a str {
        self.row()
            .map(|r| self.catalog.str(r.name))
            .unwrap_or_default()
    }

    /// Its ARN formats, with placeholders such as `${Partition}`,
    /// `${Region}`, `${Account}` and `${BucketName}`.
    pub fn arn_formats(&self) -> impl Iterator<Item = &'a str> + 'a {
        texts(
            self.catalog,
            self.row().map(|r| r.arn_formats).unwrap_or_default(),
        )
    }

    /// Condition keys of the resource type, by name.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'a>> + 'a {
        keys(self.catalog, self.row().map(|r| r.keys).unwrap_or_default())
    }

    /// Whether the concrete ARN `arn` fits one of the type's formats: each
    /// placeholder stands for any text within its segment (partition,
    /// region, account: no colon; the resource part: anything). Wildcards
    /// in `arn` are taken as text.
    pub fn matches_arn(&self, arn: &str) -> bool {
        self.arn_formats().any(|f| matches_arn_format(f, arn))
    }
}

impl<'a> ConditionKey<'a> {
    fn row(&self) -> Option<&'a super::KeyRow> {
        self.catalog.keys.get(self.index as usize)
    }

    /// The key's name as AWS spells it, with its placeholder if it is a
    /// template: `aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`.
    pub fn name(&self) -> &'a str {
        self.row()
            .map(|r| self.catalog.str(r.name))
            .unwrap_or_default()
    }

    /// The type of its value.
    pub fn key_type(&self) -> KeyType {
        self.row().map_or(KeyType::String, |r| r.key_type)
    }

    /// Whether the key can hold several values (an `ArrayOf…` type).
    pub fn is_multivalued(&self) -> bool {
        self.key_type().is_array()
    }

    /// Whether it is a global key (usable with every service).
    pub fn is_global(&self) -> bool {
        self.row().is_some_and(|r| r.global)
    }

    /// Whether AWS documents it. Only a global key can be undocumented: one
    /// AWS uses in its own managed policies but does not list on its page
    /// "AWS global condition context keys" (such as
    /// `aws:PrincipalOrgMasterAccountId`). Policies may use it; validation
    /// does not call it unknown.
    pub fn is_documented(&self) -> bool {
        self.row().is_none_or(|r| r.documented)
    }

    /// Whether its name has a placeholder (`${TagKey}`, `<key>`).
    pub fn is_template(&self) -> bool {
        super::template::literal_prefix(self.name()).is_some()
    }
}

impl std::fmt::Debug for Service<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Service({})", self.prefix())
    }
}

impl std::fmt::Debug for Action<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Action({})", self.full_name())
    }
}

impl std::fmt::Debug for ResourceType<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ResourceType({}:{})",
            self.service().prefix(),
            self.name()
        )
    }
}

impl std::fmt::Debug for ActionResourceType<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ActionResourceType({}{})",
            self.resource_type().name(),
            if self.required() { ", required" } else { "" }
        )
    }
}

impl std::fmt::Debug for ConditionKey<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ConditionKey({}: {})", self.name(), self.key_type())
    }
}
