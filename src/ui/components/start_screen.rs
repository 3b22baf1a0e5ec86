//! The welcome screen: what the tool does, that nothing is uploaded, how to get a backup,
//! the drop zone, the optional release archive, and the sample.

use web_sys::File;
use yew::prelude::*;

use crate::engine::i18n::t;
use crate::ui::hooks::use_lang;

use super::drop_zone::DropZone;
use super::use_focus_on_mount;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub worker_ready: bool,
    pub notice: Option<AttrValue>,
    pub references: Vec<String>,
    pub on_backup: Callback<Vec<File>>,
    pub on_references: Callback<Vec<File>>,
    pub on_sample: Callback<()>,
}

#[function_component]
pub fn StartScreen(props: &Props) -> Html {
    let heading = use_focus_on_mount();
    let lang = use_lang();
    let on_sample = {
        let cb = props.on_sample.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let clear_refs = {
        let cb = props.on_references.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Vec::new()))
    };
    html! {
        <section class="start" aria-labelledby="start-title">
            <h1 id="start-title" tabindex="-1" ref={heading}>{ t(lang, "Was your website hacked? Find out what happened.") }</h1>
            <p class="lead">
                { t(lang, "Drop the backup of your website here. This page checks every file against a clean copy of your CMS (WordPress, Joomla, Drupal or TYPO3), shows what was changed or added, and tells you step by step how to clean up.") }
            </p>
            <p class="privacy" role="note">
                <strong>{ t(lang, "Nothing is uploaded.") }</strong>{ " " }
                { t(lang, "Your backup is read inside this browser window, on your own computer. It never leaves it — not even to us.") }
            </p>
            if let Some(n) = &props.notice {
                <p class="notice" role="status">{ crate::engine::i18n::translate(lang, n) }</p>
            }
            <DropZone
                id="backup-input"
                title={t(lang, "Drop your backup here, or choose it")}
                hint={t(lang, "A .zip, .tar.gz or .tgz file of your website. Large backups (several GB) are fine. Drop several backups of the same site together to find out which one is safe to restore.")}
                primary={true}
                multiple={true}
                disabled={!props.worker_ready}
                on_files={props.on_backup.clone()}
            />
            if !props.worker_ready {
                <p class="hint" role="status">{ t(lang, "Getting the scanner ready…") }</p>
            }
            <p class="or">
                <button type="button" class="secondary" onclick={on_sample} disabled={!props.worker_ready}>
                    { t(lang, "Try it with a sample hacked backup") }
                </button>
            </p>
            <details class="how-to">
                <summary>{ t(lang, "How do I get a backup of my website?") }</summary>
                <ul>
                    <li><strong>{ t(lang, "cPanel:") }</strong>{ " " }{ t(lang, "log in to your hosting panel, open \"Backup\" (or \"Backup Wizard\"), and download a \"Home Directory\" or full backup. It is a .tar.gz file.") }</li>
                    <li><strong>{ t(lang, "Other hosting panels") }</strong>{ " " }{ t(lang, "(Plesk, DirectAdmin…) have a similar \"Backup\" page. Download the file to your computer.") }</li>
                    <li><strong>{ t(lang, "FTP:") }</strong>{ " " }{ t(lang, "download the whole website folder with an FTP program, then compress it into a .zip file.") }</li>
                    <li><strong>{ t(lang, "A backup plugin") }</strong>{ " " }{ t(lang, "(UpdraftPlus, Akeeba, BackWPup…) can make a .zip of your files. Choose the files backup.") }</li>
                </ul>
            </details>
            <details class="reference">
                <summary>{ t(lang, "Optional: add the official release of your CMS for a line-by-line comparison") }</summary>
                <p>
                    { t(lang, "We already know the clean files of WordPress, Drupal and TYPO3. For Joomla, or to compare your plugins too, download the official archive of exactly the version your site runs — for example the ZIP of WordPress 6.4.2 from wordpress.org, or a plugin's ZIP from its official page — and drop it here before your backup.") }
                </p>
                <DropZone
                    id="reference-input"
                    title={t(lang, "Drop official release archives here")}
                    hint={t(lang, "One or more .zip or .tar.gz files from the official websites.")}
                    multiple={true}
                    on_files={props.on_references.clone()}
                />
                if !props.references.is_empty() {
                    <div class="chosen">
                        <p>{ t(lang, "Will compare with:") }</p>
                        <ul>{ for props.references.iter().map(|r| html! { <li>{ r.clone() }</li> }) }</ul>
                        <button type="button" class="link" onclick={clear_refs}>{ t(lang, "Remove these") }</button>
                    </div>
                }
            </details>
        </section>
    }
}
