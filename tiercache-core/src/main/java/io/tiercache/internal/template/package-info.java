/**
 * Key templates: easy_cache's key strings ({@code users_by_state:{state}},
 * {@code user_favorite_books:{this.id}}) for Java methods, checked against the method's
 * signature once and rendered per call into injective, backend-safe text.
 *
 * <ul>
 *   <li>{@link io.tiercache.internal.template.KeyTemplate}: parse ({@code KeyTemplate.parse(template,
 *       method)}) and render ({@code render(receiver, args)});
 *   <li>{@link io.tiercache.internal.template.TemplateSignature}: what a template may refer to;
 *   <li>{@link io.tiercache.KeyParts}: the same text built by hand
 *       (easy_cache's {@code create_cache_key});
 *   <li>{@link io.tiercache.TemplateException}: what is wrong, where, and what exists.
 * </ul>
 *
 * <h2>How values render</h2>
 *
 * <table>
 *   <caption>value to text</caption>
 *   <tr><th>value</th><th>text</th><th>example</th></tr>
 *   <tr><td>null, empty {@code Optional}</td><td>{@code ~}</td><td>{@code ~}</td></tr>
 *   <tr><td>{@code String}, {@code Character}</td><td>itself, escaped</td>
 *       <td>{@code "a:b c"} &rarr; {@code a%3Ab%20c}, {@code ""} &rarr; empty</td></tr>
 *   <tr><td>{@code Boolean}</td><td>{@code true} / {@code false}</td><td></td></tr>
 *   <tr><td>{@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code BigInteger},
 *       {@code BigDecimal}</td><td>the numeric value, trailing zeros stripped; plain, or
 *       {@code <unscaled>e<exponent>} beyond 30 decimal places either way</td>
 *       <td>{@code 3}, {@code 3L}, {@code new BigDecimal("3.00")} &rarr; {@code 3};
 *       {@code 0.250} &rarr; {@code 0.25}</td></tr>
 *   <tr><td>{@code Double}, {@code Float}</td><td>the shortest decimal that reads back as the
 *       same value, as above; the same in every JVM version</td>
 *       <td>{@code 3.0} &rarr; {@code 3}, {@code 0.1} &rarr; {@code 0.1}, {@code 1e300} &rarr;
 *       {@code 1e300}, {@code NaN}, {@code Infinity}, {@code -0.0} &rarr; {@code 0}</td></tr>
 *   <tr><td>enum</td><td>{@code name()}, escaped</td><td>{@code ACTIVE}</td></tr>
 *   <tr><td>{@code UUID}, {@code java.time} values</td><td>{@code toString()}, escaped</td>
 *       <td>{@code 2024-05-01T10%3A15%3A30Z}</td></tr>
 *   <tr><td>{@code java.util.Date}</td><td>its {@code Instant}'s text (never the time-zone
 *       dependent {@code Date.toString})</td><td></td></tr>
 *   <tr><td>record</td><td>its components, in order, in parentheses</td>
 *       <td>{@code (7,Ann)}</td></tr>
 *   <tr><td>{@code List}, other collections, arrays</td><td>elements in order</td>
 *       <td>{@code [a,b%2Cc,~]}</td></tr>
 *   <tr><td>{@code Set}</td><td>elements sorted by their text (order-independent)</td>
 *       <td>{@code {a,b}}</td></tr>
 *   <tr><td>{@code Map}</td><td>{@code key=value} entries sorted by their text</td>
 *       <td>{@code {a=1,b=2}}</td></tr>
 *   <tr><td>anything else</td><td>{@code String.valueOf}, escaped</td><td></td></tr>
 * </table>
 *
 * <p>Escaping writes every character outside {@code [A-Za-z0-9._-]} as {@code %XX} per UTF-8 byte
 * ({@code "Жук"} &rarr; {@code %D0%96%D1%83%D0%BA}, an emoji as its four bytes), and a lone
 * surrogate as {@code %uXXXX}. So a value never contains {@code : / ~ [ ] { } ( ) , =} or a space,
 * the structure of a rendered value is unambiguous, and the output is ASCII without spaces or
 * control characters.
 *
 * <p>Literal template text is escaped at parse time by {@link io.tiercache.internal.key.KeyText}, the one
 * rule for the text of tags, prefixes and explicit keys: as values, except that the separators
 * {@code :} and {@code /} and the key punctuation {@code ~ , = ' ( ) [ ] { }} are kept (so
 * {@code "a b:{x}"} renders {@code a%20b:...}, and <code>&#123;&#123;</code> renders
 * <code>&#123;</code>). Two placeholders must be separated by literal text holding {@code :} or
 * {@code /}: as values never contain those, each value's extent in the key is known and the key of
 * a call determines its values.
 *
 * <h2>What injectivity covers, and what it does not</h2>
 *
 * <ul>
 *   <li>Values of one type render to distinct text when they differ (for numbers: differ
 *       numerically; for collections: by their elements).
 *   <li>Like Python's {@code lru_cache(typed=False)}, numbers ignore their box: {@code 3},
 *       {@code 3L}, {@code 3.0} and {@code BigDecimal("3.00")} render the same. A double and a
 *       float or {@code BigDecimal} whose shortest decimals coincide also do ({@code 0.1f},
 *       {@code 0.1}).
 *   <li>Templates are readable, untagged text: across types, values may meet. A parameter declared
 *       {@code Object} that receives both {@code "3"} and {@code 3}, or {@code "true"} and
 *       {@code true}, gets one key for both; an empty {@code Optional} renders as null. Declare
 *       precise parameter types, or use the automatic key, which tags every value's type.
 *   <li>A value rendered by {@code String.valueOf} is only as injective and as stable across JVMs as
 *       its class's {@code toString}: that is the user's responsibility (as with easy_cache). A
 *       class that keeps {@code Object.toString} (an identity hash, different for every object and
 *       every JVM) is refused: at parse time when it is the declared type of a placeholder, at render
 *       time otherwise.
 * </ul>
 *
 * <h2>Tags and prefixes name text</h2>
 *
 * <p>A template that names a tag or a prefix ({@code @Cached(tags = ..., prefix = ...)}) names
 * plain text: its rendering with every value written as its own text
 * ({@link io.tiercache.internal.template.KeyTemplate#renderText}). {@code "user:{email}"} with
 * {@code "ann@example.com"} is the tag {@code "user:ann@example.com"}, the text
 * {@code invalidateTags} takes, and the same text from a tags function or {@code tags("...")}.
 * That text is not injective (a value holding {@code :} reads like two), which a tag does not
 * need: it names a group of entries, not one. Keys stay injective key text.
 *
 * <p>Rendered keys are not shortened: a long key is the engine's business (it digests keys longer
 * than a backend accepts).
 */
package io.tiercache.internal.template;

import io.tiercache.TemplateException;
