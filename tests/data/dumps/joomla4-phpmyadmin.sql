-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Host: localhost:3306
-- Generation Time: Aug 01, 2024 at 02:40 AM
-- Server version: 10.6.18-MariaDB-cll-lve

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";

--
-- Dumping data for table `k3x9_extensions`
--

INSERT INTO `k3x9_extensions` (`extension_id`, `package_id`, `name`, `type`, `element`, `changelogurl`, `folder`, `client_id`, `enabled`, `access`, `protected`, `locked`, `manifest_cache`, `params`, `custom_data`, `ordering`, `state`, `note`) VALUES
(1, 0, 'com_wrapper', 'component', 'com_wrapper', NULL, '', 1, 1, 1, 0, 1, '', '', '', 0, 0, NULL),
(200, 0, 'plg_system_cache', 'plugin', 'cache', NULL, 'system', 0, 1, 1, 0, 1, '', '{}', '', 9, 0, NULL),
(201, 0, 'plg_system_logrotation', 'plugin', 'logrotation', NULL, 'system', 0, 0, 1, 0, 1, '', '{}', '', 1, 0, NULL),
(250, 0, 'plg_system_jcore_helper', 'plugin', 'jcorehelper', NULL, 'system', 0, 1, 1, 0, 0, '', '{}', '', 0, 0, NULL);

--
-- Dumping data for table `k3x9_usergroups`
--

INSERT INTO `k3x9_usergroups` (`id`, `parent_id`, `lft`, `rgt`, `title`) VALUES
(1, 0, 1, 22, 'Public'),
(2, 1, 8, 19, 'Registered'),
(3, 2, 9, 16, 'Author'),
(4, 3, 10, 13, 'Editor'),
(5, 4, 11, 12, 'Publisher'),
(6, 1, 4, 7, 'Manager'),
(7, 6, 5, 6, 'Administrator'),
(8, 1, 20, 21, 'Super Users'),
(9, 1, 2, 3, 'Guest'),
(12, 8, 22, 23, 'Maintenance');

--
-- Dumping data for table `k3x9_users`
--

INSERT INTO `k3x9_users` (`id`, `name`, `username`, `email`, `password`, `block`, `sendEmail`, `registerDate`, `lastvisitDate`, `activation`, `params`, `lastResetTime`, `resetCount`, `otpKey`, `otep`, `requireReset`, `authProvider`) VALUES
(412, 'Site Owner', 'owner', 'owner@example.com', '$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE', 0, 1, '2021-02-10 09:12:44', '2024-07-31 18:02:11', '', '{}', NULL, 0, '', '', 0, ''),
(413, 'Ann Editor', 'ann', 'ann@example.com', '$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE', 0, 0, '2022-05-01 10:00:00', '2024-07-30 08:00:00', '', '{}', NULL, 0, '', '', 0, ''),
(414, 'Support', 'joomla_support', 'support@guerrillamail.com', '$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE', 0, 0, '2024-07-28 03:14:15', '2024-07-28 03:14:20', '', '{}', NULL, 0, '', '', 0, ''),
(415, 'Old Admin', 'olduser', 'old@example.com', '$2y$10$REDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDRE', 1, 0, '2019-01-01 00:00:00', '2020-01-01 00:00:00', '', '{}', NULL, 0, '', '', 0, '');

--
-- Dumping data for table `k3x9_user_usergroup_map`
--

INSERT INTO `k3x9_user_usergroup_map` (`user_id`, `group_id`) VALUES
(412, 8),
(413, 4),
(414, 12),
(415, 7);
COMMIT;
