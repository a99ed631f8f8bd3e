/** JMH micro-benchmarks of jecho's hot paths; run them with {@code bench/jmh.sh}, not as tests. */
package dev.jecho.jmh;
