package io.openclaw.operator.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a list as a map keyed by one field (x-kubernetes-list-type: map), so that server-side apply merges
 * entries by key: each host's operator owns only its own entry. The CRD generator has no annotation for this;
 * {@code CrdFinisher} adds it to the generated schema.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface ListMapKey {
  String value();
}
