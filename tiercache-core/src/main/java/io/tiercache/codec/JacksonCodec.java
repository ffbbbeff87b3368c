package io.tiercache.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.PolymorphicTypeValidator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tiercache.ValueType;
import java.io.IOException;
import java.util.List;

/**
 * The default codec: JSON through Jackson, bound to the declared result type.
 *
 * <p>Safe by construction: Jackson's default typing is never enabled, so the data cannot name the
 * class to instantiate; the declared type decides. Class-named polymorphism that a user type asks
 * for ({@code @JsonTypeInfo(use = Id.CLASS)}) is refused unless the class name starts with one of
 * the prefixes given to {@link #allowingClassNamePrefixes(String...)}; the class is then checked
 * before it is loaded. Name-based polymorphism ({@code Id.NAME} with registered subtypes) works as
 * usual. Unknown properties fail the decode, so an entry written for another type is a miss
 * rather than a half-filled object.
 */
public final class JacksonCodec implements Codec {
  private final ObjectMapper mapper;

  private JacksonCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A codec with records, java.time and Optional support, and no class-named polymorphism.
   *
   * @return a new codec
   */
  public static JacksonCodec create() {
    return allowingClassNamePrefixes();
  }

  /**
   * A codec that also accepts {@code @JsonTypeInfo(use = Id.CLASS)} subtypes whose class names
   * start with one of {@code prefixes} (e.g. {@code "com.acme.model."}).
   *
   * @param prefixes the class-name prefixes of the allowed subtypes
   * @return a new codec
   */
  public static JacksonCodec allowingClassNamePrefixes(String... prefixes) {
    ObjectMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .addModule(new Jdk8Module())
        .polymorphicTypeValidator(new PrefixTypeValidator(List.of(prefixes)))
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
    return new JacksonCodec(mapper);
  }

  /**
   * A codec on a mapper the application configured. The mapper must not enable default typing
   * ({@code activateDefaultTyping}): that would let cache data name classes to load.
   *
   * @param mapper the configured mapper, without default typing
   * @return a new codec writing with {@code mapper}
   */
  public static JacksonCodec using(ObjectMapper mapper) {
    return new JacksonCodec(mapper.copy());
  }

  @Override
  public String id() {
    return "jackson-json";
  }

  @Override
  public <T> ValueCodec<T> forType(ValueType<T> type) {
    JavaType javaType = mapper.getTypeFactory().constructType(type.type());
    ObjectReader reader = mapper.readerFor(javaType);
    ObjectWriter writer = mapper.writerFor(javaType);
    return new ValueCodec<>() {
      @Override
      public byte[] encode(T value) throws CodecException {
        try {
          return writer.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
          throw new CodecException("cannot encode a " + value.getClass().getName() + " as " + type, e);
        }
      }

      @Override
      public T decode(byte[] bytes) throws CodecException {
        try {
          return reader.readValue(bytes);
        } catch (IOException | RuntimeException e) {
          throw new CodecException("cannot decode " + bytes.length + " bytes as " + type, e);
        }
      }
    };
  }

  /** Admits class-named subtypes only by name prefix, decided before any class is loaded. */
  private static final class PrefixTypeValidator extends PolymorphicTypeValidator.Base {
    private static final long serialVersionUID = 1L;
    private final List<String> prefixes;

    PrefixTypeValidator(List<String> prefixes) {
      this.prefixes = prefixes;
    }

    @Override
    public Validity validateSubClassName(MapperConfig<?> config, JavaType baseType, String subClassName) {
      for (String prefix : prefixes) {
        if (!prefix.isEmpty() && subClassName.startsWith(prefix)) {
          return Validity.INDETERMINATE; // then checked as a subtype of baseType by Jackson
        }
      }
      return Validity.DENIED;
    }

    @Override
    public Validity validateSubType(MapperConfig<?> config, JavaType baseType, JavaType subType) {
      return baseType.getRawClass().isAssignableFrom(subType.getRawClass())
          ? Validity.ALLOWED : Validity.DENIED;
    }
  }
}
