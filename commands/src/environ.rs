//! Environments: the server's global one and one per session. A variable can
//! be marked for removal (`set-environment -r`), which removes it from the
//! environment of new panes even when the global environment has it.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Var {
    /// `None`: marked for removal.
    pub value: Option<String>,
    /// Hidden variables are not shown by `show-environment` without `-h`.
    pub hidden: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Environ {
    vars: BTreeMap<String, Var>,
}

impl Environ {
    /// Builds an environment from `NAME=value` strings.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = &'a str>) -> Environ {
        let mut e = Environ::default();
        for p in pairs {
            if let Some((k, v)) = p.split_once('=')
                && !k.is_empty()
            {
                e.set(k, v);
            }
        }
        e
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(
            name.to_string(),
            Var {
                value: Some(value.to_string()),
                hidden: false,
            },
        );
    }

    pub fn set_var(&mut self, name: &str, var: Var) {
        self.vars.insert(name.to_string(), var);
    }

    /// Marks a variable for removal from new panes.
    pub fn clear(&mut self, name: &str) {
        self.vars.insert(
            name.to_string(),
            Var {
                value: None,
                hidden: false,
            },
        );
    }

    pub fn unset(&mut self, name: &str) -> bool {
        self.vars.remove(name).is_some()
    }

    pub fn get(&self, name: &str) -> Option<&Var> {
        self.vars.get(name)
    }

    pub fn value(&self, name: &str) -> Option<&str> {
        self.vars.get(name).and_then(|v| v.value.as_deref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Var)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Applies `other` on top of this one: its values win, and its removals
    /// remove.
    pub fn overlay(&mut self, other: &Environ) {
        for (k, v) in &other.vars {
            match &v.value {
                Some(_) => {
                    self.vars.insert(k.clone(), v.clone());
                }
                None => {
                    self.vars.remove(k);
                }
            }
        }
    }

    /// The variables with a value, for a child process.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars
            .iter()
            .filter_map(|(k, v)| v.value.as_deref().map(|val| (k.as_str(), val)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_sets_and_removes() {
        let mut g = Environ::from_pairs(["A=1", "B=2", "junk"]);
        let mut s = Environ::default();
        s.set("A", "x");
        s.clear("B");
        g.overlay(&s);
        let pairs: Vec<_> = g.pairs().collect();
        assert_eq!(pairs, vec![("A", "x")]);
    }
}
