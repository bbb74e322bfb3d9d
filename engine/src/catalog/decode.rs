//! Decoding a catalogue file (layout in [`super::format`]) into the
//! catalogue's tables, checking every count, index and the sort order the
//! lookups rely on.

use std::cmp::Ordering;

use super::format::{Reader, KEY_GLOBAL, KEY_UNDOCUMENTED, MAGIC};
use super::template::{literal_prefix, placeholder_tokens};
use super::{
    cmp_folded, AccessLevel, ActionResourceTypeRow, ActionRow, Catalog, CatalogCounts,
    CatalogError, CatalogInfo, KeyRow, KeyTemplate, KeyType, ResourceTypeRow, Rows, ServiceRow,
    TextRef, FORMAT_VERSION,
};

/// The text being filled, and the lists pointing into it.
struct Tables {
    text: String,
    scratch: String,
    texts: Vec<TextRef>,
    key_lists: Vec<u32>,
}

impl Tables {
    fn push_str(&mut self, s: &str) -> TextRef {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        TextRef {
            start,
            end: self.text.len() as u32,
        }
    }

    fn get(&self, text: TextRef) -> &str {
        self.text
            .get(text.start as usize..text.end as usize)
            .unwrap_or_default()
    }

    /// A text column of `n` items (front-coded, see [`super::format`]).
    fn texts(&mut self, r: &mut Reader<'_>, n: usize) -> Result<Vec<TextRef>, CatalogError> {
        let (shared, rests) = r.texts(n)?;
        let mut out = Vec::with_capacity(shared.len());
        let mut previous = TextRef::default();
        for (shared, rest) in shared.into_iter().zip(rests) {
            let head = self
                .text
                .get(previous.start as usize..previous.end as usize)
                .and_then(|p| p.get(..shared))
                .ok_or_else(|| r.damaged("a text shares more than the text before it"))?;
            self.scratch.clear();
            self.scratch.push_str(head);
            self.scratch.push_str(rest);
            let scratch = std::mem::take(&mut self.scratch);
            let text = self.push_str(&scratch);
            self.scratch = scratch;
            out.push(text);
            previous = text;
        }
        Ok(out)
    }

    /// A text column holding `counts[i]` texts for each item `i`, kept in
    /// `texts`; the rows of each item.
    fn text_groups(
        &mut self,
        r: &mut Reader<'_>,
        counts: &[usize],
        total: usize,
    ) -> Result<Vec<Rows>, CatalogError> {
        let texts = self.texts(r, total)?;
        let start = self.texts.len();
        self.texts.extend(texts);
        let mut out = Vec::with_capacity(counts.len());
        let mut at = start;
        for &n in counts {
            out.push(rows(at, at + n));
            at += n;
        }
        Ok(out)
    }

    /// Errs unless the names of each group (sizes in `groups`) are in
    /// strictly ascending order.
    fn check_groups(
        &self,
        r: &Reader<'_>,
        names: &[TextRef],
        groups: &[usize],
        what: &'static str,
    ) -> Result<(), CatalogError> {
        let mut at = 0usize;
        for &size in groups {
            let group = names.get(at..at + size).ok_or_else(|| r.damaged(what))?;
            for pair in group.windows(2) {
                if let [a, b] = pair {
                    self.check_order(r, Some(*a), *b, what)?;
                }
            }
            at += size;
        }
        Ok(())
    }

    /// Errs unless `name` sorts strictly after `previous`.
    fn check_order(
        &self,
        r: &Reader<'_>,
        previous: Option<TextRef>,
        name: TextRef,
        what: &'static str,
    ) -> Result<(), CatalogError> {
        match previous {
            Some(p) if cmp_folded(self.get(p), self.get(name)) != Ordering::Less => {
                Err(r.damaged(what))
            }
            _ => Ok(()),
        }
    }
}

fn rows(start: usize, end: usize) -> Rows {
    Rows {
        start: start as u32,
        end: end as u32,
    }
}

/// `n` values read by `read`.
fn column<T>(
    r: &mut Reader<'_>,
    n: usize,
    mut read: impl FnMut(&mut Reader<'_>) -> Result<T, CatalogError>,
) -> Result<Vec<T>, CatalogError> {
    let mut out = Vec::with_capacity(n.min(r.remaining()));
    for _ in 0..n {
        out.push(read(r)?);
    }
    Ok(out)
}

/// `n` counts, and their sum (checked against the bytes left, since each
/// counted item takes at least one byte).
fn counts(r: &mut Reader<'_>, n: usize) -> Result<(Vec<usize>, usize), CatalogError> {
    let counts = column(r, n, |r| r.count())?;
    let total = counts
        .iter()
        .try_fold(0usize, |sum, &c| sum.checked_add(c))
        .filter(|&total| total <= r.remaining())
        .ok_or(CatalogError::Truncated { offset: r.offset })?;
    Ok((counts, total))
}

/// `n` references to the key lists table.
fn key_lists(r: &mut Reader<'_>, n: usize, lists: &[Rows]) -> Result<Vec<Rows>, CatalogError> {
    column(r, n, |r| {
        let id = r.index(lists.len(), "a key list that does not exist")?;
        Ok(lists.get(id as usize).copied().unwrap_or_default())
    })
}

fn byte_enum<T: Copy>(
    r: &mut Reader<'_>,
    all: &[T],
    what: &'static str,
) -> Result<T, CatalogError> {
    let b = r.byte()?;
    all.get(usize::from(b))
        .copied()
        .ok_or_else(|| r.damaged(what))
}

fn flag(r: &mut Reader<'_>, what: &'static str) -> Result<bool, CatalogError> {
    match r.byte()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(r.damaged(what)),
    }
}

pub fn decode(bytes: &[u8]) -> Result<Catalog, CatalogError> {
    // Every table index is a u32: refuse anything that could overflow one.
    if bytes.len() > (u32::MAX / 4) as usize {
        return Err(CatalogError::Damaged {
            what: "the file is too large",
            offset: 0,
        });
    }
    let mut r = Reader::new(bytes);
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err(CatalogError::NotACatalog);
    }
    let version = r.varint()?;
    if version != u64::from(FORMAT_VERSION) {
        return Err(CatalogError::UnsupportedVersion {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    let source = r.str()?.to_owned();
    let data_date = r.str()?.to_owned();
    let mut t = Tables {
        // Front-coded names grow a little when decoded.
        text: String::with_capacity(bytes.len().saturating_mul(3) / 2),
        scratch: String::new(),
        texts: Vec::new(),
        key_lists: Vec::new(),
    };
    let r = &mut r;

    // Condition keys.
    let key_count = r.count()?;
    let key_names = t.texts(r, key_count)?;
    t.check_groups(
        r,
        &key_names,
        &[key_count],
        "condition keys are not in order",
    )?;
    let key_types = column(r, key_count, |r| {
        byte_enum(r, &KeyType::ALL, "unknown condition key type")
    })?;
    let key_flags = column(r, key_count, |r| {
        let flags = r.byte()?;
        if flags & !(KEY_GLOBAL | KEY_UNDOCUMENTED) != 0 {
            return Err(r.damaged("unknown condition key flags"));
        }
        Ok(flags)
    })?;
    let mut keys = Vec::with_capacity(key_count);
    let mut templates = Vec::new();
    for (i, ((name, key_type), flags)) in key_names
        .into_iter()
        .zip(key_types)
        .zip(key_flags)
        .enumerate()
    {
        let text = t.get(name);
        if let Some(prefix) = literal_prefix(text) {
            templates.push(KeyTemplate {
                literal_prefix: prefix.to_ascii_lowercase(),
                tokens: placeholder_tokens(text, true),
                key: i as u32,
            });
        }
        keys.push(KeyRow {
            name,
            key_type,
            global: flags & KEY_GLOBAL != 0,
            documented: flags & KEY_UNDOCUMENTED == 0,
        });
    }
    crate::sorting::sort_by(&mut templates, |a, b| {
        a.literal_prefix.cmp(&b.literal_prefix)
    });
    let mut template_prefix_lengths: Vec<usize> =
        templates.iter().map(|t| t.literal_prefix.len()).collect();
    crate::sorting::sort(&mut template_prefix_lengths);
    template_prefix_lengths.dedup();

    // Key lists.
    let list_count = r.count()?;
    let mut lists = Vec::with_capacity(list_count);
    for _ in 0..list_count {
        let start = t.key_lists.len();
        r.list(key_count, &mut t.key_lists)?;
        lists.push(rows(start, t.key_lists.len()));
    }

    // Services.
    let service_count = r.count()?;
    let prefixes = t.texts(r, service_count)?;
    t.check_groups(r, &prefixes, &[service_count], "services are not in order")?;
    let service_names = t.texts(r, service_count)?;
    let (type_counts, type_total) = counts(r, service_count)?;
    let (action_counts, action_total) = counts(r, service_count)?;
    let service_keys = key_lists(r, service_count, &lists)?;

    // Resource types.
    let type_names = t.texts(r, type_total)?;
    t.check_groups(
        r,
        &type_names,
        &type_counts,
        "resource types are not in order",
    )?;
    let (format_counts, format_total) = counts(r, type_total)?;
    let formats = t.text_groups(r, &format_counts, format_total)?;
    let type_keys = key_lists(r, type_total, &lists)?;
    let mut resource_types = Vec::with_capacity(type_total);
    let service_of_type = type_counts
        .iter()
        .enumerate()
        .flat_map(|(s, &n)| std::iter::repeat_n(s as u32, n));
    for (((service, name), arn_formats), keys) in
        service_of_type.zip(type_names).zip(formats).zip(type_keys)
    {
        resource_types.push(ResourceTypeRow {
            service,
            name,
            arn_formats,
            keys,
        });
    }

    // Actions.
    let action_names = t.texts(r, action_total)?;
    t.check_groups(r, &action_names, &action_counts, "actions are not in order")?;
    let access = column(r, action_total, |r| {
        byte_enum(r, &AccessLevel::ALL, "unknown access level")
    })?;
    let (art_counts, art_total) = counts(r, action_total)?;
    let action_keys = key_lists(r, action_total, &lists)?;
    let (dependent_counts, dependent_total) = counts(r, action_total)?;
    let action_dependents = t.text_groups(r, &dependent_counts, dependent_total)?;

    // The actions' resource types: each index is within its service.
    let mut type_limits = Vec::with_capacity(art_total);
    let mut type_bases = Vec::with_capacity(art_total);
    let mut base = 0usize;
    let mut counts_iter = art_counts.iter();
    for (&types, &actions) in type_counts.iter().zip(&action_counts) {
        for _ in 0..actions {
            let n = counts_iter.next().copied().unwrap_or_default();
            type_limits.extend(std::iter::repeat_n(types, n));
            type_bases.extend(std::iter::repeat_n(base, n));
        }
        base += types;
    }
    let mut limits = type_limits.iter();
    let art_types = column(r, art_total, |r| {
        let limit = limits.next().copied().unwrap_or_default();
        r.index(limit, "an action names a resource type that does not exist")
    })?;
    let required = column(r, art_total, |r| {
        flag(r, "a required flag is neither 0 nor 1")
    })?;
    let art_keys = key_lists(r, art_total, &lists)?;
    let (art_dependent_counts, art_dependent_total) = counts(r, art_total)?;
    let art_dependents = t.text_groups(r, &art_dependent_counts, art_dependent_total)?;
    let mut action_resource_types = Vec::with_capacity(art_total);
    for ((((index, base), required), keys), dependent_actions) in art_types
        .into_iter()
        .zip(type_bases)
        .zip(required)
        .zip(art_keys)
        .zip(art_dependents)
    {
        action_resource_types.push(ActionResourceTypeRow {
            resource_type: base as u32 + index,
            required,
            keys,
            dependent_actions,
        });
    }

    let mut actions = Vec::with_capacity(action_total);
    let mut art_start = 0usize;
    let service_of_action = action_counts
        .iter()
        .enumerate()
        .flat_map(|(s, &n)| std::iter::repeat_n(s as u32, n));
    for (((((service, name), access), n), keys), dependent_actions) in service_of_action
        .zip(action_names)
        .zip(access)
        .zip(art_counts)
        .zip(action_keys)
        .zip(action_dependents)
    {
        actions.push(ActionRow {
            service,
            name,
            access,
            resource_types: rows(art_start, art_start + n),
            keys,
            dependent_actions,
        });
        art_start += n;
    }

    let mut services = Vec::with_capacity(service_count);
    let (mut type_start, mut action_start) = (0usize, 0usize);
    for ((((prefix, name), types), actions_n), keys) in prefixes
        .into_iter()
        .zip(service_names)
        .zip(type_counts)
        .zip(action_counts)
        .zip(service_keys)
    {
        services.push(ServiceRow {
            prefix,
            name,
            actions: rows(action_start, action_start + actions_n),
            resource_types: rows(type_start, type_start + types),
            keys,
        });
        type_start += types;
        action_start += actions_n;
    }

    if !r.at_end() {
        return Err(r.damaged("unexpected bytes after the end of the catalogue"));
    }
    let counts = CatalogCounts {
        services: services.len(),
        actions: actions.len(),
        resource_types: resource_types.len(),
        condition_keys: keys.len(),
        global_keys: keys.iter().filter(|k| k.global).count(),
    };
    t.text.shrink_to_fit();
    Ok(Catalog {
        info: CatalogInfo {
            format_version: FORMAT_VERSION,
            source,
            data_date,
            counts,
        },
        text: t.text,
        keys,
        services,
        resource_types,
        actions,
        action_resource_types,
        key_lists: t.key_lists,
        texts: t.texts,
        templates,
        template_prefix_lengths,
    })
}
