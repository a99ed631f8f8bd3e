/**
 * jecho for JUnit 5 tests: {@link dev.jecho.junit.JechoServerExtension} runs a server on free ports for a test
 * class or for each test, hands its endpoints to the test's parameters ({@link dev.jecho.junit.Listener} picks
 * one by kind), and afterwards stops it and fails the test if a connection, a server thread or a Netty buffer
 * was left behind.
 */
package dev.jecho.junit;
