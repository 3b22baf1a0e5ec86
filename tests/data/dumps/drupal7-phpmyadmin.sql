-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Host: localhost:3306
-- Generation Time: Aug 01, 2024 at 03:12 AM
-- Server version: 10.6.18-MariaDB-cll-lve
-- PHP Version: 8.1.29

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";

--
-- Database: `club_d7`
--

-- --------------------------------------------------------

--
-- Table structure for table `d7_role`
--

CREATE TABLE `d7_role` (
  `rid` int(10) UNSIGNED NOT NULL COMMENT 'Primary Key: Unique role ID.',
  `name` varchar(64) NOT NULL DEFAULT '' COMMENT 'Unique role name.',
  `weight` int(11) NOT NULL DEFAULT 0 COMMENT 'The weight of this role in listings and the user interface.'
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci COMMENT='Stores user roles.';

--
-- Dumping data for table `d7_role`
--

INSERT INTO `d7_role` (`rid`, `name`, `weight`) VALUES
(1, 'anonymous user', 0),
(2, 'authenticated user', 1),
(3, 'administrator', 2),
(4, 'webmaster', 3);

-- --------------------------------------------------------

--
-- Table structure for table `d7_role_permission`
--

INSERT INTO `d7_role_permission` (`rid`, `permission`, `module`) VALUES
(2, 'access content', 'node'),
(3, 'administer site configuration', 'system'),
(4, 'administer users', 'user'),
(4, 'access content', 'node');

--
-- Dumping data for table `d7_users`
--

INSERT INTO `d7_users` (`uid`, `name`, `pass`, `mail`, `theme`, `signature`, `signature_format`, `created`, `access`, `login`, `status`, `timezone`, `language`, `picture`, `init`, `data`) VALUES
(0, '', '', '', '', '', NULL, 0, 0, 0, 0, NULL, '', 0, '', NULL),
(1, 'clubadmin', '$S$DREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACT', 'board@example.net', '', '', NULL, 1356998400, 1722470400, 1722470400, 1, 'Europe/Berlin', '', 0, 'board@example.net', 0x613a303a7b7d),
(2, 'petra', '$S$DREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACT', 'petra@example.net', '', '', 'filtered_html', 1420070400, 1722384000, 1722384000, 1, 'Europe/Berlin', '', 0, 'petra@example.net', NULL),
(3, 'admin2', '$S$DREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACTEDREDACT', 'x1@yopmail.com', '', '', NULL, 1722038400, 1722124800, 1722124800, 1, 'UTC', '', 0, 'x1@yopmail.com', NULL);

--
-- Dumping data for table `d7_users_roles`
--

INSERT INTO `d7_users_roles` (`uid`, `rid`) VALUES
(2, 4),
(3, 3);
COMMIT;
