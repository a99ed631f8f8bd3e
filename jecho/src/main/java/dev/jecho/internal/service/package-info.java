/** What a message gets back ({@code upper}, {@code echo}); no channel or socket code here. */
package dev.jecho.internal.service;
