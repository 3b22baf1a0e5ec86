//! Which CMS and version the site runs, how we know, and its plugins and themes.

use yew::prelude::*;

use crate::ui::format::shown;

use crate::engine::i18n::{t, Lang};
use crate::tf;
use crate::ui::hooks::use_lang;

use crate::engine::report::CmsInstall;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub cms: Vec<CmsInstall>,
    pub roots: Vec<String>,
}

fn install(lang: Lang, c: &CmsInstall) -> Html {
    let r = &c.recognised_by;
    let name = c.name.display_name().to_owned();
    let version = c
        .version
        .clone()
        .unwrap_or_else(|| t(lang, "(version unknown)").into());
    let root = if c.root.is_empty() {
        t(lang, "the top folder of the backup").to_owned()
    } else {
        c.root.clone()
    };
    html! {
        <li class="install">
            <p class="install-title"><strong>{ shown(&format!("{name} {version}")) }</strong>{ " " }{ t(lang, "in") }{ " " }<code class="path">{ shown(&root) }</code></p>
            <ul class="evidence">
                if let Some(h) = &r.hashes {
                    <li>{ tf!(lang, "{0} of the {1} files of {2} {3} are identical to the clean release.", h.matched, h.expected, name, shown(&h.version)) }</li>
                }
                if let Some(v) = &r.version_file {
                    <li>{ t(lang, "Its version file") }{ " " }<code class="path">{ shown(&v.path) }</code>{ " " }{ tf!(lang, "says {0}.", shown(&v.version)) }</li>
                }
                if let Some(h) = r.hashes.as_ref().filter(|h| h.missing > 0 && !h.missing_listed) {
                    <li>{ tf!(lang, "{0} files of this release are not in the backup. Hosts and Composer often leave out documentation and tests, so they are not listed one by one.", h.missing) }</li>
                }
                if !r.parts.is_empty() {
                    <li>{ tf!(lang, "Also compared with the same release: {0}.", shown(&crate::engine::present::explain::parts_list(c))) }</li>
                }
                if let Some(outer) = &c.vendored_in {
                    <li>{ tf!(lang, "Shipped inside {0}: a copy that belongs to that plugin or module, not a site of its own.", shown(outer)) }</li>
                }
                if let Some(why) = &r.no_match {
                    <li>{ why.clone() }</li>
                } else if r.hashes.is_none() {
                    <li>{ tf!(lang, "We have no clean copy of {0} built in, so its files were not compared. Add the official release archive (start screen) to compare them.", name) }</li>
                }
            </ul>
            if let Some(d) = &r.disagreement {
                <p class="callout warn" role="note">{ d.clone() }</p>
            }
            if !c.components.is_empty() {
                <details>
                    <summary>{ tf!(lang, "{0} plugins, themes and extensions", c.components.len()) }</summary>
                    <table class="components">
                        <thead><tr><th scope="col">{ t(lang, "Type") }</th><th scope="col">{ t(lang, "Name") }</th><th scope="col">{ t(lang, "Version") }</th><th scope="col">{ t(lang, "Folder") }</th></tr></thead>
                        <tbody>
                            { for c.components.iter().map(|x| html! {
                                <tr>
                                    <td data-label={t(lang, "Type")}>{ t(lang, crate::engine::present::explain::component_kind(&x.kind)) }</td>
                                    <td data-label={t(lang, "Name")}>{ shown(&x.name) }</td>
                                    <td data-label={t(lang, "Version")}>{ x.version.as_deref().map_or_else(|| "?".into(), shown) }</td>
                                    <td data-label={t(lang, "Folder")}><code class="path">{ shown(&x.slug) }</code></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </details>
            }
        </li>
    }
}

#[function_component]
pub fn CmsSummary(props: &Props) -> Html {
    let lang = use_lang();
    html! {
        <section class="cms-summary" aria-labelledby="cms-title">
            <h2 id="cms-title">{ t(lang, "Your site") }</h2>
            if props.cms.is_empty() {
                <p>{ t(lang, "We did not recognise WordPress, Joomla, Drupal or TYPO3 in this backup, so there was no clean release to compare with. The files are listed below.") }</p>
                if !props.roots.is_empty() {
                    <p>{ t(lang, "Website folder:") }{ " " }{ for props.roots.iter().map(|r| html! { <code class="path">{ shown(r) }</code> }) }</p>
                }
            } else {
                <ul class="installs">{ for props.cms.iter().map(|c| install(lang, c)) }</ul>
            }
        </section>
    }
}
