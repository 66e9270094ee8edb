//! The resource graph: resources of the fleet file and the references between
//! them. An edge runs from a resource to one that depends on it. It finds
//! cycles before anything is read, gives `--target` what a resource needs,
//! and is the reference the plan's order is checked against (plan tests):
//! the order itself is built once, by the planner, from the changes. What a
//! reference needs first is `kinds::facts`'s rule, which the order follows
//! too; this file says what each of the file's resources refers to.

use std::collections::{HashMap, HashSet};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::{Dfs, Reversed};

use crate::address::Address;
use crate::kinds::facts::{Need, Reference};
use crate::spec::{BundleRef, Fleet, ImageRef, ImageSource, IpGroupRef};

/// The file's resources that others may need: the account (whose BYOL
/// setting the file sets), and the directories it registers, by id.
struct Provides<'a> {
    account: Option<Address>,
    registered: HashMap<&'a str, Address>,
}

impl Provides<'_> {
    /// The resource of the file that meets `need`, if any.
    fn resolve(&self, need: Need<'_>) -> Option<Address> {
        match need {
            Need::Byol => self.account.clone(),
            Need::Made(address) => Some(address),
            Need::Directory(directory_id) => self.registered.get(directory_id).cloned(),
        }
    }
}

#[derive(Debug)]
pub struct ResourceGraph {
    graph: DiGraph<Address, ()>,
    index: HashMap<Address, NodeIndex>,
}

/// Resources that refer to each other in a circle, named in order.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("these resources refer to each other in a cycle: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" → "))]
pub struct CycleError(pub Vec<Address>);

impl ResourceGraph {
    pub fn build(fleet: &Fleet) -> Result<Self, CycleError> {
        let mut graph = ResourceGraph {
            graph: DiGraph::new(),
            index: HashMap::new(),
        };
        if fleet.account.is_some() {
            graph.add(Address::account());
        }
        for group in &fleet.ip_groups {
            graph.add(Address::ip_group(&group.name));
        }
        let file_bundles: HashSet<&str> = fleet.bundles.iter().map(|b| b.name.as_str()).collect();
        let file = Provides {
            account: fleet.account.as_ref().map(|_| Address::account()),
            registered: fleet
                .directories
                .iter()
                .map(|d| (d.directory_id.as_str(), Address::directory(&d.name)))
                .collect(),
        };
        for directory in &fleet.directories {
            let address = Address::directory(&directory.name);
            graph.add(address.clone());
            for group in directory.ip_groups.iter().flatten() {
                let group = match group {
                    IpGroupRef::Name(name) => Some(Address::ip_group(name)),
                    IpGroupRef::Id(_) => None,
                };
                graph.needs(&address, Reference::DirectoryIpGroup(group), &file);
            }
            let tenancy = Reference::Tenancy(directory.tenancy.as_ref());
            graph.needs(&address, tenancy, &file);
        }
        for image in &fleet.images {
            let address = Address::image(&image.name);
            graph.add(address.clone());
            let reference = match &image.source {
                ImageSource::Import { .. } => Reference::ImageImport,
                ImageSource::UpdateOf(ImageRef::Name(source)) => {
                    Reference::ImageUpdateOf(Some(Address::image(source)))
                }
                ImageSource::UpdateOf(ImageRef::Id(_)) => Reference::ImageUpdateOf(None),
                // Copied from another region, or kept as the account has it:
                // nothing of the file comes first.
                ImageSource::Copy { .. } | ImageSource::Existing => continue,
            };
            graph.needs(&address, reference, &file);
        }
        for bundle in &fleet.bundles {
            let address = Address::bundle(&bundle.name);
            graph.add(address.clone());
            let image = match &bundle.image {
                ImageRef::Name(image) => Some(Address::image(image)),
                ImageRef::Id(_) => None,
            };
            graph.needs(&address, Reference::BundleImage(image), &file);
        }
        for workspace in &fleet.workspaces {
            let address = Address::workspace(&workspace.name);
            graph.add(address.clone());
            let bundle = match &workspace.bundle {
                BundleRef::Name(bundle) if file_bundles.contains(bundle.as_str()) => {
                    Some(Address::bundle(bundle))
                }
                BundleRef::Name(_) | BundleRef::Id(_) => None,
            };
            graph.needs(&address, Reference::WorkspaceBundle(bundle), &file);
            let directory = Reference::WorkspaceDirectory(&workspace.directory_id);
            graph.needs(&address, directory, &file);
        }
        for alias in &fleet.connection_aliases {
            let address = Address::connection_alias(&alias.name);
            graph.add(address.clone());
            if let Some(directory_id) = &alias.directory_id {
                graph.needs(&address, Reference::AliasDirectory(directory_id), &file);
            }
        }
        graph.check_cycles()?;
        Ok(graph)
    }

    fn add(&mut self, address: Address) -> NodeIndex {
        if let Some(node) = self.index.get(&address) {
            return *node;
        }
        let node = self.graph.add_node(address.clone());
        self.index.insert(address, node);
        node
    }

    /// What `from` needs for `reference` comes first, where the file has it.
    fn needs(&mut self, from: &Address, reference: Reference<'_>, file: &Provides<'_>) {
        if let Some(to) = reference.need().and_then(|need| file.resolve(need)) {
            self.refer(from, to);
        }
    }

    /// `from` refers to `to`: `to` comes first. Each resource refers to
    /// another at most once, so the edge is new: `update_edge` would scan
    /// every edge of `to`, quadratic for a bundle 10,000 WorkSpaces use.
    fn refer(&mut self, from: &Address, to: Address) {
        let from = self.add(from.clone());
        let to = self.add(to);
        self.graph.add_edge(to, from, ());
    }

    fn check_cycles(&self) -> Result<(), CycleError> {
        if toposort(&self.graph, None).is_ok() {
            return Ok(());
        }
        let cycle = tarjan_scc(&self.graph)
            .into_iter()
            .find(|scc| scc.len() > 1 || self.graph.contains_edge(scc[0], scc[0]))
            .unwrap_or_default();
        let mut members: Vec<Address> = cycle.iter().map(|n| self.graph[*n].clone()).collect();
        members.sort();
        if let Some(first) = members.first().cloned() {
            members.push(first);
        }
        Err(CycleError(members))
    }

    /// What `address` refers to, directly or through others.
    pub fn dependencies(&self, address: &Address) -> Vec<Address> {
        let Some(start) = self.index.get(address) else {
            return Vec::new();
        };
        let reversed = Reversed(&self.graph);
        let mut dfs = Dfs::new(reversed, *start);
        let mut found = Vec::new();
        while let Some(node) = dfs.next(reversed) {
            if node != *start {
                found.push(self.graph[node].clone());
            }
        }
        found.sort();
        found
    }

    pub fn contains(&self, address: &Address) -> bool {
        self.index.contains_key(address)
    }
}

#[cfg(test)]
mod tests {
    //! The graph of small fleet files, read through `spec::parse` as the CLI
    //! reads them.

    use super::*;
    use crate::spec::parse;

    const SETTINGS: &str = "[settings]\nstack = \"eng\"\n";
    const BYOL: &str = "[account]\nbyol = true\nmanagement_cidr = \"10.200.0.0/16\"\n";
    const COPY: &str =
        "copy = { source_region = \"us-west-2\", source_image_id = \"wsi-0123abcde\" }\n";
    const IMPORT: &str = "import = { ec2_image_id = \"ami-0123456789abcdef0\", ingestion_process = \"BYOL_REGULAR_WSP\" }\n";

    /// A copied image, a bundle of the file built on it, and two WorkSpaces:
    /// alice on that bundle, bob on an AMAZON bundle the file does not define.
    const IMAGE_BUNDLE_WORKSPACE: &str = r#"
[images.base]
copy = { source_region = "us-west-2", source_image_id = "wsi-0123abcde" }

[bundles.dev]
image = "base"
compute_type = "POWER"
root_volume_gib = 80
user_volume_gib = 50

[workspaces.alice]
directory_id = "d-1234567890"
bundle = "dev"

[workspaces.bob]
directory_id = "d-1234567890"
bundle = "Standard with Windows 10"
"#;

    fn fleet(extra: &str) -> Fleet {
        match parse("fleet.toml", &format!("{SETTINGS}{extra}")) {
            Ok(fleet) => fleet,
            Err(diagnostics) => panic!("{}", diagnostics.render(false)),
        }
    }

    fn graph(extra: &str) -> ResourceGraph {
        match ResourceGraph::build(&fleet(extra)) {
            Ok(graph) => graph,
            Err(error) => panic!("{error}"),
        }
    }

    fn cycle(extra: &str) -> CycleError {
        match ResourceGraph::build(&fleet(extra)) {
            Ok(graph) => panic!("expected a cycle, got {graph:#?}"),
            Err(error) => error,
        }
    }

    fn address(text: &str) -> Address {
        match text.parse() {
            Ok(address) => address,
            Err(error) => panic!("{error}"),
        }
    }

    fn addresses(texts: &[&str]) -> Vec<Address> {
        texts.iter().map(|t| address(t)).collect()
    }

    #[test]
    fn a_workspace_depends_on_its_directory_and_the_directory_on_its_ip_groups() {
        let graph = graph(
            r#"
[ip_groups.office]
rules = [{ source = "203.0.113.0/24" }]

[directories.corp]
directory_id = "d-1234567890"
ip_groups = ["office", "wsipg-abc12345"]

[workspaces.alice]
directory_id = "d-1234567890"
bundle_id = "wsb-0123abcd"

[workspaces.bob]
directory_id = "d-2345678901"
bundle_id = "wsb-0123abcd"
"#,
        );
        assert_eq!(
            graph.dependencies(&address("workspace.alice")),
            addresses(&["ip_group.office", "directory.corp"])
        );
        assert_eq!(graph.dependencies(&address("workspace.bob")), []);
        assert_eq!(
            graph.dependencies(&address("directory.corp")),
            addresses(&["ip_group.office"])
        );
    }

    #[test]
    fn an_alias_depends_on_the_directory_it_is_associated_with() {
        let graph = graph(
            r#"
[directories.corp]
directory_id = "d-1234567890"

[connection_aliases.desk]
connection_string = "desk.example.com"
directory_id = "d-1234567890"

[connection_aliases.elsewhere]
connection_string = "other.example.com"
directory_id = "d-2345678901"
"#,
        );
        assert_eq!(
            graph.dependencies(&address("connection_alias.desk")),
            addresses(&["directory.corp"])
        );
        assert_eq!(
            graph.dependencies(&address("connection_alias.elsewhere")),
            []
        );
    }

    #[test]
    fn a_dedicated_directory_depends_on_the_account() {
        let graph = graph(&format!(
            "{BYOL}[directories.corp]\ndirectory_id = \"d-1234567890\"\ntenancy = \"dedicated\"\n"
        ));
        assert_eq!(
            graph.dependencies(&address("directory.corp")),
            addresses(&["account"])
        );
    }

    #[test]
    fn a_workspace_depends_on_its_bundle_and_the_bundles_image() {
        let graph = graph(IMAGE_BUNDLE_WORKSPACE);
        assert_eq!(
            graph.dependencies(&address("workspace.alice")),
            addresses(&["image.base", "bundle.dev"])
        );
        assert_eq!(
            graph.dependencies(&address("bundle.dev")),
            addresses(&["image.base"])
        );
        assert_eq!(graph.dependencies(&address("image.base")), []);
    }

    #[test]
    fn a_bundle_not_in_the_file_adds_no_edge() {
        let graph = graph(IMAGE_BUNDLE_WORKSPACE);
        assert_eq!(graph.dependencies(&address("workspace.bob")), []);
        assert!(graph.contains(&address("workspace.bob")));
        assert!(!graph.contains(&Address::bundle("Standard with Windows 10")));
    }

    #[test]
    fn a_bundle_id_adds_no_edge() {
        let graph = graph(
            "[workspaces.carol]\ndirectory_id = \"d-1234567890\"\nbundle_id = \"wsb-0123abcde\"\n",
        );
        assert_eq!(graph.dependencies(&address("workspace.carol")), []);
    }

    #[test]
    fn byol_imports_follow_the_account() {
        let graph = graph(&format!(
            "{BYOL}[images.base]\n{IMPORT}[images.next]\nupdate_of = \"base\"\n[images.copied]\n{COPY}"
        ));
        assert_eq!(
            graph.dependencies(&address("image.base")),
            addresses(&["account"])
        );
        assert_eq!(
            graph.dependencies(&address("image.next")),
            addresses(&["account", "image.base"])
        );
        // A copied image needs nothing of the account's BYOL setting.
        assert_eq!(graph.dependencies(&address("image.copied")), []);
    }

    #[test]
    fn an_account_without_imports_is_a_lone_node() {
        let graph = graph(&format!("{BYOL}[images.copied]\n{COPY}"));
        assert!(graph.contains(&Address::account()));
        assert_eq!(graph.dependencies(&address("image.copied")), []);
    }

    #[test]
    fn an_unknown_address_has_no_dependencies() {
        let graph = graph(IMAGE_BUNDLE_WORKSPACE);
        assert!(!graph.contains(&address("workspace.nobody")));
        assert_eq!(graph.dependencies(&address("workspace.nobody")), []);
    }

    /// Validation refuses an image that updates itself, but not two that
    /// update each other: the graph is where that cycle is found.
    #[test]
    fn two_images_updating_each_other_are_a_cycle() {
        let error = cycle("[images.a]\nupdate_of = \"b\"\n[images.b]\nupdate_of = \"a\"\n");
        assert_eq!(error.0, addresses(&["image.a", "image.b", "image.a"]));
        assert_eq!(
            error.to_string(),
            "these resources refer to each other in a cycle: image.a → image.b → image.a"
        );
    }

    #[test]
    fn a_longer_cycle_names_every_member() {
        let error = cycle(
            "[images.a]\nupdate_of = \"c\"\n[images.b]\nupdate_of = \"a\"\n[images.c]\nupdate_of = \"b\"\n",
        );
        assert_eq!(
            error.0,
            addresses(&["image.a", "image.b", "image.c", "image.a"])
        );
    }

    #[test]
    fn a_cycle_leaves_out_resources_that_only_refer_to_it() {
        let error = cycle(
            "[images.a]\nupdate_of = \"b\"\n[images.b]\nupdate_of = \"a\"\n[bundles.dev]\nimage = \"a\"\ncompute_type = \"POWER\"\nuser_volume_gib = 50\n",
        );
        assert_eq!(error.0, addresses(&["image.a", "image.b", "image.a"]));
    }
}
