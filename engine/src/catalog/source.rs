//! The catalogue's content before encoding: plain owned data, as read from
//! the npm package (see [`super::compile_package`]) or built by hand in
//! tests.

use super::{AccessLevel, KeyType};

/// Everything a catalogue file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogSource {
    /// `package@version`.
    pub source: String,
    /// `YYYY-MM-DD`.
    pub data_date: String,
    /// The services, in any order.
    pub services: Vec<SourceService>,
    /// The global condition keys.
    pub global_keys: Vec<SourceKey>,
}

/// One service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceService {
    /// The prefix used in actions, such as `s3`.
    pub prefix: String,
    /// The service's name, such as `Amazon S3`.
    pub name: String,
    /// Its actions.
    pub actions: Vec<SourceAction>,
    /// Its resource types.
    pub resource_types: Vec<SourceResourceType>,
    /// The condition keys it defines or supports.
    pub condition_keys: Vec<SourceKey>,
}

/// One action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceAction {
    /// The name without the prefix, such as `GetObject`.
    pub name: String,
    /// Its access level.
    pub access_level: AccessLevel,
    /// The resource types it acts on.
    pub resource_types: Vec<SourceActionResourceType>,
    /// Condition keys of the action itself.
    pub condition_keys: Vec<String>,
    /// Other actions it needs.
    pub dependent_actions: Vec<String>,
}

/// A resource type as one action uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceActionResourceType {
    /// The resource type's name (any case).
    pub name: String,
    /// Whether the action always acts on this type.
    pub required: bool,
    /// Condition keys for the action on this type.
    pub condition_keys: Vec<String>,
    /// Other actions needed for this type.
    pub dependent_actions: Vec<String>,
}

/// A resource type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceResourceType {
    /// Its name, such as `object`.
    pub name: String,
    /// Its ARN formats, with `${Partition}`-style placeholders.
    pub arn_formats: Vec<String>,
    /// Condition keys of the resource type.
    pub condition_keys: Vec<String>,
}

/// A condition key and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceKey {
    /// Its name, such as `s3:prefix` or `aws:RequestTag/${TagKey}`.
    pub name: String,
    /// The type of its value.
    pub key_type: KeyType,
    /// Whether AWS documents it: `false` for a global key that AWS uses in
    /// its own managed policies but does not list on its global condition
    /// keys page (`"documented": false` in `engine/data/global-keys.json`).
    /// Service keys come from AWS's reference, so they are documented.
    pub documented: bool,
}
